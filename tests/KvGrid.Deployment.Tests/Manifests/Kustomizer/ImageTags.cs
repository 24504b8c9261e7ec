using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests.Kustomizer;

/// <summary>
/// The images transformer (kustomize's legacy image filter): every "image" of every containers/initContainers
/// list anywhere in an object whose name (the reference without tag and digest) equals an entry's name gets the
/// entry's newName and/or newTag; a new tag drops the digest.
/// </summary>
public static class ImageTags
{
    public static void Apply(Resource r, IReadOnlyList<Kustomization.ImageOverride> images)
    {
        if (images.Count > 0) Walk(r.Node, images);
    }

    static void Walk(YamlNode node, IReadOnlyList<Kustomization.ImageOverride> images)
    {
        if (node is YamlSequenceNode seq) { foreach (var item in seq.Children) Walk(item, images); return; }
        if (node is not YamlMappingNode map) return;
        foreach (var (key, value) in map.Children.ToList())
        {
            if (((YamlScalarNode)key).Value is "containers" or "initContainers" && value is YamlSequenceNode containers)
                foreach (var c in containers.Children.OfType<YamlMappingNode>())
                    if (c.GetString("image") is { } image) c.SetString("image", Rewrite(image, images));
            Walk(value, images);
        }
    }

    public static string Rewrite(string image, IReadOnlyList<Kustomization.ImageOverride> images)
    {
        var (name, tag, digest) = Split(image);
        var entry = images.FirstOrDefault(i => i.Name == name);
        if (entry is null) return image;
        if (entry.NewName is not null) name = entry.NewName;
        if (entry.NewTag is not null) { tag = entry.NewTag; digest = ""; }
        return name + (tag != "" ? ":" + tag : "") + (digest != "" ? "@" + digest : "");
    }

    /// <summary>kustomize's image.Split: a ':' before the first '/' is a registry port, not a tag.</summary>
    public static (string Name, string Tag, string Digest) Split(string image)
    {
        var slash = image.IndexOf('/');
        var offset = slash > 0 ? slash : 0;
        var search = image[offset..];
        int at = search.IndexOf('@'), colon = search.IndexOf(':');
        if (at < 0 && colon < 0) return (image, "", "");
        if (at >= 0 && (colon < 0 || at < colon)) return (image[..(at + offset)], "", image[(at + offset + 1)..]);
        if (at >= 0) return (image[..(colon + offset)], image[(colon + offset + 1)..(at + offset)], image[(at + offset + 1)..]);
        return (image[..(colon + offset)], image[(colon + offset + 1)..], "");
    }
}
