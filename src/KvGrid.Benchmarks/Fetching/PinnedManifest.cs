using System.Reflection;

namespace KvGrid.Benchmarks.Fetching;

/// <summary>One upstream file pinned by content: where it lives upstream, its SHA-256 and size.</summary>
public sealed record PinnedFile(string Dataset, string UpstreamPath, string Sha256, long Size);

/// <summary>
/// A fetchable dataset: one pinned file, or a folder of pinned files (<see cref="RootUpstreamPath"/> is then the
/// folder that <see cref="DataSource.Resolve"/> returns).
/// </summary>
public sealed record PinnedDataset(string Name, string RootUpstreamPath, bool IsFolder, IReadOnlyList<PinnedFile> Files);

/// <summary>
/// The pinned upstream files of the paper's code release (embedded resource <c>pinned-files.tsv</c>: dataset,
/// SHA-256, size, upstream path; paths and hashes only, never the texts).
/// </summary>
public static class PinnedManifest
{
    public const string Repository = "Itisalex2/pitfalls-of-kv-cache-compression";
    public const string Commit = "fc0f5df3f1a524a8cac4cf6b56fbec103fcdd1aa";

    /// <summary>Raw file base: files are at <c>{base}/{commit}/{upstream path}</c>.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://raw.githubusercontent.com/" + Repository + "/");

    public const string SysIfEval = "sys_ifeval";
    public const string SysIfEvalShuffled = "sys_ifeval_shuffled";
    public const string DefenseTemplate = "defense_template";
    public const string RaccoonAttacks = "raccoon_attacks";

    private static readonly Lazy<IReadOnlyList<PinnedDataset>> LazyDatasets = new(Load);

    /// <summary>All datasets, in manifest order.</summary>
    public static IReadOnlyList<PinnedDataset> Datasets => LazyDatasets.Value;

    public static IEnumerable<string> Names => Datasets.Select(d => d.Name);

    public static PinnedDataset? Find(string name) => Datasets.FirstOrDefault(d => d.Name == name);

    /// <exception cref="UnknownDatasetException">No dataset has that name.</exception>
    public static PinnedDataset Get(string name) => Find(name) ?? throw new UnknownDatasetException(name);

    private static IReadOnlyList<PinnedDataset> Load()
    {
        const string resource = "KvGrid.Benchmarks.Fetching.pinned-files.tsv";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is missing from the build");
        using var reader = new StreamReader(stream);
        return Parse(reader, "pinned-files.tsv");
    }

    internal static IReadOnlyList<PinnedDataset> Parse(TextReader reader, string sourceName)
    {
        var files = new List<PinnedFile>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != 4 || fields[1].Length != 64 || !long.TryParse(fields[2], out var size))
            {
                throw new DataFileException(sourceName, lineNumber, "expected: dataset TAB sha256 TAB size TAB upstream path");
            }

            files.Add(new PinnedFile(fields[0], fields[3], fields[1], size));
        }

        return files
            .GroupBy(f => f.Dataset)
            .Select(group =>
            {
                var list = group.ToList();
                var isFolder = list.Count > 1;
                return new PinnedDataset(group.Key, isFolder ? CommonFolder(list) : list[0].UpstreamPath, isFolder, list);
            })
            .ToList();
    }

    private static string CommonFolder(IReadOnlyList<PinnedFile> files)
    {
        var parts = files[0].UpstreamPath.Split('/')[..^1];
        var length = parts.Length;
        foreach (var file in files.Skip(1))
        {
            var other = file.UpstreamPath.Split('/');
            var common = 0;
            while (common < length && common < other.Length - 1 && other[common] == parts[common])
            {
                common++;
            }

            length = common;
        }

        return string.Join('/', parts[..length]);
    }
}

/// <summary>A dataset name that the manifest does not know.</summary>
public sealed class UnknownDatasetException(string name)
    : KvGridException($"unknown dataset '{name}' (known: {string.Join(", ", PinnedManifest.Names)})")
{
    public string Name { get; } = name;
}
