using System.IO.Compression;
using System.Text.Json;

namespace KvGrid.IfEval.Nlp;

/// <summary>
/// langdetect's 55 language profiles and normalisation tables (embedded from Debian's
/// python3-langdetect, Apache-2.0): per n-gram, the probability of that n-gram in each language
/// (count / number of n-grams of its length in the profile), as <c>DetectorFactory.add_profile</c> builds it.
/// </summary>
internal sealed class LanguageProfiles
{
    public required string[] Languages { get; init; }
    public required Dictionary<string, double[]> WordLangProb { get; init; }
    public required string Latin1Excluded { get; init; }
    public required string ViToNormalize { get; init; }
    public required string ViDmarks { get; init; }
    public required string[] ViNormalized { get; init; }
    public required Dictionary<int, int> CjkMap { get; init; }
    public required Dictionary<string, (int Start, int End)> Blocks { get; init; }

    private static readonly Lazy<LanguageProfiles> Lazy = new(Load);
    public static LanguageProfiles Instance => Lazy.Value;

    private static LanguageProfiles Load()
    {
        using var stream = typeof(LanguageProfiles).Assembly.GetManifestResourceStream("KvGrid.IfEval.langdetect-profiles.json.gz")
            ?? throw new InvalidOperationException("embedded resource langdetect-profiles.json.gz is missing");
        using var gz = new GZipStream(stream, CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gz);
        var root = doc.RootElement;
        var langs = root.GetProperty("languages").EnumerateArray().ToArray();
        var names = new string[langs.Length];
        var map = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (int index = 0; index < langs.Length; index++)
        {
            var lang = langs[index];
            names[index] = lang.GetProperty("name").GetString()!;
            var nWords = lang.GetProperty("n_words").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            foreach (var prop in lang.GetProperty("freq").EnumerateObject())
            {
                string word = prop.Name;
                int length = word.EnumerateRunes().Count();
                // add_profile skips n-grams longer than 3 or with no count of their length.
                if (length < 1 || length > 3 || nWords[length - 1] == 0) continue;
                if (!map.TryGetValue(word, out var probs)) map[word] = probs = new double[langs.Length];
                probs[index] = prop.Value.GetDouble() / nWords[length - 1];
            }
        }
        var cjk = new Dictionary<int, int>();
        foreach (var cls in root.GetProperty("cjkClasses").EnumerateArray())
        {
            var runes = cls.GetString()!.EnumerateRunes().Select(r => r.Value).ToArray();
            foreach (var r in runes) cjk[r] = runes[0];
        }
        var blocks = new Dictionary<string, (int, int)>();
        foreach (var b in root.GetProperty("blocks").EnumerateObject()) blocks[b.Name] = (b.Value[0].GetInt32(), b.Value[1].GetInt32());
        return new LanguageProfiles
        {
            Languages = names,
            WordLangProb = map,
            Latin1Excluded = root.GetProperty("latin1Excluded").GetString()!,
            ViToNormalize = root.GetProperty("viToNormalize").GetString()!,
            ViDmarks = root.GetProperty("viDmarks").GetString()!,
            ViNormalized = root.GetProperty("viNormalized").EnumerateArray().Select(e => e.GetString()!).ToArray(),
            CjkMap = cjk,
            Blocks = blocks,
        };
    }
}
