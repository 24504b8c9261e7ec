using System.Text;
using System.Text.RegularExpressions;
using KvGrid.IfEval.Text;

namespace KvGrid.IfEval.Nlp;

/// <summary>
/// Port of langdetect's <c>detect</c> (Mimino666/langdetect, itself a port of Cybozu's language-detection):
/// same text cleaning (URLs, e-mail addresses, Vietnamese normalisation, space collapsing, Latin
/// removal from mostly non-Latin text, 10,000-character cap), same character normalisation and
/// 1-3-gram extraction, same profiles and smoothing (alpha 0.5 / 10,000).
/// <para>
/// Difference: langdetect estimates the posterior by 7 random-walk trials that sample n-grams with
/// replacement until one language passes 0.99999, and the reference runs it unseeded, so on mixed or
/// ambiguous text its verdict varies between runs (the stopping rule favours languages with a script
/// of their own over Latin-script ones). This port runs that same estimate repeatedly with a fixed seed
/// (5 runs when they agree, else up to 61) and returns the most frequent verdict: deterministic, and
/// the reference's most likely answer. On clear text every run agrees.
/// </para>
/// </summary>
public static class LanguageDetector
{
    private const double Alpha = 0.5;
    private const double BaseFreq = 10000;
    private const int MaxTextLength = 10000;
    private const double ProbThreshold = 0.1;
    private const double AlphaWidth = 0.05;
    private const double ConvThreshold = 0.99999;
    private const int IterationLimit = 1000;
    private const int Trials = 7;
    private const int MaxRuns = 61;
    private const int UnanimousRuns = 5;
    private const int RandomSeed = 20240501;

    private static readonly Regex UrlRe = new(@"https?://[-_.?&~;+=/#0-9A-Za-z]{1,2076}", RegexOptions.CultureInvariant);
    private static readonly Regex MailRe = new(@"[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}", RegexOptions.CultureInvariant);
    private static Regex? _viRe;

    /// <summary>
    /// The detected language code (e.g. "en", "zh-cn"), "unknown" when no language passes 0.1,
    /// or null where langdetect raises "No features in text".
    /// </summary>
    public static string? Detect(string text)
    {
        var p = LanguageProfiles.Instance;
        var runes = Prepare(text, p);
        var ngrams = ExtractNgrams(runes, p);
        if (ngrams.Count == 0) return null;

        // Emulate the reference's randomised estimate several times and keep its most frequent verdict.
        // Clear text is settled by 5 unanimous runs; otherwise up to 61 runs, until the leader has a majority.
        var rng = new Random(RandomSeed);
        var votes = new Dictionary<int, (int Count, double Mass)>();
        for (int run = 0; run < MaxRuns; run++)
        {
            if (votes.Count == 1 && run >= UnanimousRuns) break;
            if (votes.Count > 0 && votes.Values.Max(v => v.Count) > MaxRuns / 2) break;
            var langProb = EstimateOnce(ngrams, p.Languages.Length, rng);
            int best = -1;
            for (int i = 0; i < langProb.Length; i++)
                if (langProb[i] > ProbThreshold && (best < 0 || langProb[i] > langProb[best])) best = i;
            var cur = votes.GetValueOrDefault(best);
            votes[best] = (cur.Count + 1, cur.Mass + (best < 0 ? 0 : langProb[best]));
        }
        int winner = votes.OrderByDescending(v => v.Value.Count).ThenByDescending(v => v.Value.Mass).ThenBy(v => v.Key).First().Key;
        return winner < 0 ? "unknown" : p.Languages[winner];
    }

    /// <summary>
    /// Detector._detect_block: 7 trials, each with alpha drawn around 0.5, multiplying the probabilities
    /// of randomly drawn n-grams until one language passes 0.99999 (checked every 5 draws) or 1,000 draws;
    /// the result is the mean of the trials' posteriors.
    /// </summary>
    private static double[] EstimateOnce(List<double[]> ngrams, int n, Random rng)
    {
        var langProb = new double[n];
        var prob = new double[n];
        for (int t = 0; t < Trials; t++)
        {
            Array.Fill(prob, 1.0 / n);
            double alpha = Alpha + Gaussian(rng) * AlphaWidth;
            double weight = alpha / BaseFreq;
            for (int i = 0; ; i++)
            {
                var word = ngrams[rng.Next(ngrams.Count)];
                for (int j = 0; j < n; j++) prob[j] *= weight + word[j];
                if (i % 5 == 0 && (Normalize(prob) > ConvThreshold || i >= IterationLimit)) break;
            }
            for (int j = 0; j < n; j++) langProb[j] += prob[j] / Trials;
        }
        return langProb;
    }

    private static double Normalize(double[] prob)
    {
        double sum = prob.Sum(), max = 0;
        for (int i = 0; i < prob.Length; i++)
        {
            prob[i] /= sum;
            if (prob[i] > max) max = prob[i];
        }
        return max;
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static List<int> Prepare(string text, LanguageProfiles p)
    {
        text = UrlRe.Replace(text, " ");
        text = MailRe.Replace(text, " ");
        text = NormalizeVi(text, p);
        // Detector.append: keep at most 10,000 code points, collapsing runs of ASCII spaces.
        var kept = new List<int>();
        int pre = 0, count = 0;
        foreach (var r in text.EnumerateRunes())
        {
            if (count++ >= MaxTextLength) break;
            int ch = r.Value;
            if (ch != ' ' || pre != ' ') kept.Add(ch);
            pre = ch;
        }
        // Detector.cleaning_text. Its block test compares an int with a string, so every code point
        // from U+0300 up counts as non-Latin.
        int latin = 0, nonLatin = 0;
        foreach (int ch in kept)
        {
            if (ch is >= 'A' and <= 'z') latin++;
            else if (ch >= 0x300) nonLatin++;
        }
        if (latin * 2 < nonLatin) kept.RemoveAll(ch => ch is >= 'A' and <= 'z');
        return kept;
    }

    private static string NormalizeVi(string text, LanguageProfiles p)
    {
        _viRe ??= new Regex("([" + Regex.Escape(p.ViToNormalize) + "])([" + Regex.Escape(p.ViDmarks) + "])", RegexOptions.CultureInvariant);
        return _viRe.Replace(text, m =>
        {
            int alphabet = p.ViToNormalize.IndexOf(m.Groups[1].Value, StringComparison.Ordinal);
            int dmark = p.ViDmarks.IndexOf(m.Groups[2].Value, StringComparison.Ordinal);
            return p.ViNormalized[dmark][alphabet].ToString();
        });
    }

    private static List<double[]> ExtractNgrams(List<int> text, LanguageProfiles p)
    {
        var result = new List<double[]>();
        var grams = new List<int> { ' ' };
        bool capitalWord = false;
        var sb = new StringBuilder(8);
        foreach (int raw in text)
        {
            int ch = Normalize(raw, p);
            int last = grams[^1];
            bool add = true;
            if (last == ' ')
            {
                grams.Clear();
                grams.Add(' ');
                capitalWord = false;
                if (ch == ' ') add = false;
            }
            else if (grams.Count >= 3)
            {
                grams.RemoveAt(0);
            }
            if (add)
            {
                grams.Add(ch);
                if (IsUpper(ch)) { if (IsUpper(last)) capitalWord = true; }
                else capitalWord = false;
            }
            if (capitalWord) continue;
            for (int n = 1; n <= 3; n++)
            {
                if (grams.Count < n) break;
                sb.Clear();
                for (int k = grams.Count - n; k < grams.Count; k++) sb.Append(char.ConvertFromUtf32(grams[k]));
                var w = sb.ToString();
                if (w != " " && p.WordLangProb.TryGetValue(w, out var probs)) result.Add(probs);
            }
        }
        return result;
    }

    private static bool IsUpper(int cp) => Rune.IsValid(cp) && PyText.IsUpper(char.ConvertFromUtf32(cp));

    private static bool InBlock(LanguageProfiles p, string block, int cp) =>
        p.Blocks.TryGetValue(block, out var b) && cp >= b.Start && cp <= b.End;

    /// <summary>NGram.normalize.</summary>
    private static int Normalize(int ch, LanguageProfiles p)
    {
        if (ch <= 0x7F) return ch < 'A' || (ch > 'Z' && ch < 'a') || ch > 'z' ? ' ' : ch;
        if (InBlock(p, "UNICODE_LATIN_1_SUPPLEMENT", ch)) return p.Latin1Excluded.Contains((char)ch) ? ' ' : ch;
        if (InBlock(p, "UNICODE_LATIN_EXTENDED_B", ch)) return ch == 0x219 ? 0x15F : ch == 0x21B ? 0x163 : ch;
        if (InBlock(p, "UNICODE_GENERAL_PUNCTUATION", ch)) return ' ';
        if (InBlock(p, "UNICODE_ARABIC", ch)) return ch == 0x6CC ? 0x64A : ch;
        if (InBlock(p, "UNICODE_LATIN_EXTENDED_ADDITIONAL", ch)) return ch >= 0x1EA0 ? 0x1EC3 : ch;
        if (InBlock(p, "UNICODE_HIRAGANA", ch)) return 0x3042;
        if (InBlock(p, "UNICODE_KATAKANA", ch)) return 0x30A2;
        if (InBlock(p, "UNICODE_BOPOMOFO", ch) || InBlock(p, "UNICODE_BOPOMOFO_EXTENDED", ch)) return 0x3105;
        if (InBlock(p, "UNICODE_CJK_UNIFIED_IDEOGRAPHS", ch)) return p.CjkMap.TryGetValue(ch, out var rep) ? rep : ch;
        if (InBlock(p, "UNICODE_HANGUL_SYLLABLES", ch)) return 0xAC00;
        return ch;
    }
}
