using System.IO.Compression;
using System.Text.Json;

namespace KvGrid.IfEval.Nlp;

/// <summary>
/// Parameters of a Punkt model: abbreviation types, collocations, frequent sentence starters and
/// orthographic context flags per word type (NLTK's <c>PunktParameters</c>).
/// </summary>
public sealed class PunktParameters
{
    public const int OrthoBegUc = 1 << 1, OrthoMidUc = 1 << 2, OrthoUnkUc = 1 << 3;
    public const int OrthoBegLc = 1 << 4, OrthoMidLc = 1 << 5, OrthoUnkLc = 1 << 6;
    public const int OrthoUc = OrthoBegUc + OrthoMidUc + OrthoUnkUc;
    public const int OrthoLc = OrthoBegLc + OrthoMidLc + OrthoUnkLc;

    public HashSet<string> AbbrevTypes { get; } = new(StringComparer.Ordinal);
    public HashSet<(string, string)> Collocations { get; } = new();
    public HashSet<string> SentStarters { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> OrthoContext { get; } = new(StringComparer.Ordinal);

    public int Ortho(string type) => OrthoContext.TryGetValue(type, out var v) ? v : 0;

    private static readonly Lazy<PunktParameters> EnglishLazy = new(LoadEnglish);

    /// <summary>
    /// The English model: NLTK's abbreviation types, collocations and sentence starters, and part of its
    /// orthographic context (counted on the WSJ corpus): the 2,345 word types the model saw both
    /// lowercase and capitalised mid-sentence get BEG_UC | MID_UC | MID_LC, three rare types their exact
    /// flags. The rest of the model's orthographic context (mostly words seen only lowercase, and names)
    /// is not embedded; it is approximated from Debian's wamerican word list: a lowercase word the list
    /// never capitalises gets BEG_UC | MID_LC (seen lowercase, never capitalised mid-sentence, as most
    /// such words are in the model); any other type, including words the list also has as proper nouns
    /// (Smith, Bush, Porter), is unseen (0), as names are in the model. Decisions that depend on it:
    /// after a known abbreviation or an ellipsis a capitalised word starts a sentence when it is
    /// "seen lowercase but never capitalised mid-sentence" or a frequent sentence starter; after an
    /// initial, when it was seen lowercase; after a number or an initial, a lowercase word never does.
    /// </summary>
    public static PunktParameters English => EnglishLazy.Value;

    private static PunktParameters LoadEnglish()
    {
        using var stream = typeof(PunktParameters).Assembly.GetManifestResourceStream("KvGrid.IfEval.punkt-english.json.gz")
            ?? throw new InvalidOperationException("embedded resource punkt-english.json.gz is missing");
        using var gz = new GZipStream(stream, CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gz);
        var root = doc.RootElement;
        var p = new PunktParameters();
        foreach (var a in root.GetProperty("abbrevTypes").EnumerateArray()) p.AbbrevTypes.Add(a.GetString()!);
        foreach (var c in root.GetProperty("collocations").EnumerateArray()) p.Collocations.Add((c[0].GetString()!, c[1].GetString()!));
        foreach (var s in root.GetProperty("sentStarters").EnumerateArray()) p.SentStarters.Add(s.GetString()!);
        foreach (var w in root.GetProperty("lowercaseWords").EnumerateArray()) p.OrthoContext[w.GetString()!] = OrthoBegUc | OrthoMidLc;
        foreach (var w in root.GetProperty("midSentenceCapitalizedWords").EnumerateArray()) p.OrthoContext[w.GetString()!] = OrthoBegUc | OrthoMidUc | OrthoMidLc;
        foreach (var e in root.GetProperty("orthoExact").EnumerateObject()) p.OrthoContext[e.Name] = e.Value.GetInt32();
        return p;
    }
}
