using System.Collections.Concurrent;

namespace KvGrid.Benchmarks.Leakage;

/// <summary>
/// NLTK's <c>PorterStemmer()</c> in its default NLTK_EXTENSIONS mode (nltk/stem/porter.py, NLTK 3.8), which is
/// what rouge_score's <c>DefaultTokenizer(use_stemmer=True)</c> uses. NLTK_EXTENSIONS differs from Porter's
/// original algorithm (irregular forms such as 'skies' -> 'sky' and 'news' -> 'news', the 'ies'/'ied' rules
/// for four-letter words, the y -> i rule, 'bli', 'fulli', 'logi', the two-letter *o condition), so the rules
/// are ported one by one, in NLTK's order, including its "first matching suffix decides" rule lists.
/// Input is expected lowercase; it is lowercased with invariant rules otherwise.
/// </summary>
public static class PorterStemmer
{
    // NLTK's irregular_forms table (NLTK_EXTENSIONS only): form -> stem.
    private static readonly Dictionary<string, string> IrregularForms = new(StringComparer.Ordinal)
    {
        ["sky"] = "sky", ["skies"] = "sky",
        ["dying"] = "die",
        ["lying"] = "lie",
        ["tying"] = "tie",
        ["news"] = "news",
        ["innings"] = "inning", ["inning"] = "inning",
        ["outings"] = "outing", ["outing"] = "outing",
        ["cannings"] = "canning", ["canning"] = "canning",
        ["howe"] = "howe",
        ["proceed"] = "proceed",
        ["exceed"] = "exceed",
        ["succeed"] = "succeed",
    };

    // Stems are pure functions of the word; ROUGE stems the same words over and over.
    private const int MaxCachedStems = 200_000;
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>Stems one word exactly as <c>nltk.stem.porter.PorterStemmer().stem(word)</c>.</summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (Cache.TryGetValue(word, out var cached))
        {
            return cached;
        }

        var stem = Compute(word);
        if (Cache.Count < MaxCachedStems)
        {
            Cache.TryAdd(word, stem);
        }

        return stem;
    }

    private static string Compute(string word)
    {
        var stem = word.ToLowerInvariant();
        // NLTK looks the original word up but returns the entry of the lowercased one.
        if (IrregularForms.ContainsKey(word))
        {
            return IrregularForms[stem];
        }

        if (word.Length <= 2)
        {
            return stem;
        }

        stem = Step1A(stem);
        stem = Step1B(stem);
        stem = Step1C(stem);
        stem = Step2(stem);
        stem = Step3(stem);
        stem = Step4(stem);
        stem = Step5A(stem);
        stem = Step5B(stem);
        return stem;
    }

    private static bool IsConsonant(string word, int i)
    {
        var c = word[i];
        if (c is 'a' or 'e' or 'i' or 'o' or 'u')
        {
            return false;
        }

        if (c == 'y')
        {
            return i == 0 || !IsConsonant(word, i - 1);
        }

        return true;
    }

    /// <summary>Porter's m: the number of vowel-consonant transitions.</summary>
    private static int Measure(string stem)
    {
        var m = 0;
        for (var i = 0; i + 1 < stem.Length; i++)
        {
            if (!IsConsonant(stem, i) && IsConsonant(stem, i + 1))
            {
                m++;
            }
        }

        return m;
    }

    private static bool HasPositiveMeasure(string stem) => Measure(stem) > 0;

    private static bool ContainsVowel(string stem)
    {
        for (var i = 0; i < stem.Length; i++)
        {
            if (!IsConsonant(stem, i))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsDoubleConsonant(string word) =>
        word.Length >= 2 && word[^1] == word[^2] && IsConsonant(word, word.Length - 1);

    /// <summary>Condition *o, with NLTK's extra case for two-letter stems (vowel + consonant).</summary>
    private static bool EndsCvc(string word) =>
        (word.Length >= 3
         && IsConsonant(word, word.Length - 3)
         && !IsConsonant(word, word.Length - 2)
         && IsConsonant(word, word.Length - 1)
         && word[^1] is not ('w' or 'x' or 'y'))
        || (word.Length == 2 && !IsConsonant(word, 0) && IsConsonant(word, 1));

    private static string ReplaceSuffix(string word, string suffix, string replacement) =>
        word[..^suffix.Length] + replacement;

    /// <summary>A suffix rule; <see cref="DoubleConsonant"/> as suffix means "ends in a double consonant".</summary>
    private readonly record struct Rule(string Suffix, string Replacement, Func<string, bool>? Condition);

    private const string DoubleConsonant = "*d";

    /// <summary>
    /// NLTK's _apply_rule_list: the FIRST rule whose suffix matches decides; if its condition fails the word
    /// is returned unchanged (later rules are not tried).
    /// </summary>
    private static string ApplyRuleList(string word, ReadOnlySpan<Rule> rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Suffix == DoubleConsonant && EndsDoubleConsonant(word))
            {
                var stem = word[..^2];
                return rule.Condition is null || rule.Condition(stem) ? stem + rule.Replacement : word;
            }

            if (word.EndsWith(rule.Suffix, StringComparison.Ordinal))
            {
                var stem = word[..^rule.Suffix.Length];
                return rule.Condition is null || rule.Condition(stem) ? stem + rule.Replacement : word;
            }
        }

        return word;
    }

    private static readonly Rule[] Step1ARules =
    [
        new("sses", "ss", null),
        new("ies", "i", null),
        new("ss", "ss", null),
        new("s", "", null),
    ];

    private static string Step1A(string word)
    {
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length == 4)
        {
            return ReplaceSuffix(word, "ies", "ie"); // NLTK: 'dies' -> 'die', but 'flies' -> 'fli'
        }

        return ApplyRuleList(word, Step1ARules);
    }

    private static string Step1B(string word)
    {
        if (word.EndsWith("ied", StringComparison.Ordinal))
        {
            return ReplaceSuffix(word, "ied", word.Length == 4 ? "ie" : "i");
        }

        if (word.EndsWith("eed", StringComparison.Ordinal))
        {
            var stem = word[..^3];
            return Measure(stem) > 0 ? stem + "ee" : word;
        }

        string? intermediate = null;
        foreach (var suffix in (ReadOnlySpan<string>)["ed", "ing"])
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal))
            {
                var candidate = word[..^suffix.Length];
                if (ContainsVowel(candidate))
                {
                    intermediate = candidate;
                    break;
                }
            }
        }

        if (intermediate is null)
        {
            return word;
        }

        var last = intermediate[^1];
        return ApplyRuleList(intermediate,
        [
            new("at", "ate", null),
            new("bl", "ble", null),
            new("iz", "ize", null),
            new(DoubleConsonant, last.ToString(), _ => last is not ('l' or 's' or 'z')),
            new("", "e", stem => Measure(stem) == 1 && EndsCvc(stem)),
        ]);
    }

    private static readonly Rule[] Step1CRules =
    [
        // NLTK: y -> i only after a consonant that is not the whole stem ('happy' -> 'happi', 'enjoy' stays).
        new("y", "i", stem => stem.Length > 1 && IsConsonant(stem, stem.Length - 1)),
    ];

    private static string Step1C(string word) => ApplyRuleList(word, Step1CRules);

    private static readonly Rule[] Step2FixedRules =
    [
        new("ational", "ate", HasPositiveMeasure),
        new("tional", "tion", HasPositiveMeasure),
        new("enci", "ence", HasPositiveMeasure),
        new("anci", "ance", HasPositiveMeasure),
        new("izer", "ize", HasPositiveMeasure),
        new("bli", "ble", HasPositiveMeasure),
        new("alli", "al", HasPositiveMeasure),
        new("entli", "ent", HasPositiveMeasure),
        new("eli", "e", HasPositiveMeasure),
        new("ousli", "ous", HasPositiveMeasure),
        new("ization", "ize", HasPositiveMeasure),
        new("ation", "ate", HasPositiveMeasure),
        new("ator", "ate", HasPositiveMeasure),
        new("alism", "al", HasPositiveMeasure),
        new("iveness", "ive", HasPositiveMeasure),
        new("fulness", "ful", HasPositiveMeasure),
        new("ousness", "ous", HasPositiveMeasure),
        new("aliti", "al", HasPositiveMeasure),
        new("iviti", "ive", HasPositiveMeasure),
        new("biliti", "ble", HasPositiveMeasure),
        new("fulli", "ful", HasPositiveMeasure),
    ];

    private static string Step2(string word)
    {
        if (word.EndsWith("alli", StringComparison.Ordinal) && HasPositiveMeasure(word[..^4]))
        {
            return Step2(ReplaceSuffix(word, "alli", "al"));
        }

        Span<Rule> rules = new Rule[Step2FixedRules.Length + 1];
        Step2FixedRules.CopyTo(rules);
        // NLTK's 'logi' rule measures the word minus 'ogi' (keeping the 'l'), not the stem.
        rules[^1] = new Rule("logi", "log", _ => HasPositiveMeasure(word[..^3]));
        return ApplyRuleList(word, rules);
    }

    private static readonly Rule[] Step3Rules =
    [
        new("icate", "ic", HasPositiveMeasure),
        new("ative", "", HasPositiveMeasure),
        new("alize", "al", HasPositiveMeasure),
        new("iciti", "ic", HasPositiveMeasure),
        new("ical", "ic", HasPositiveMeasure),
        new("ful", "", HasPositiveMeasure),
        new("ness", "", HasPositiveMeasure),
    ];

    private static string Step3(string word) => ApplyRuleList(word, Step3Rules);

    private static bool MeasureGreaterThanOne(string stem) => Measure(stem) > 1;

    private static readonly Rule[] Step4Rules =
    [
        new("al", "", MeasureGreaterThanOne),
        new("ance", "", MeasureGreaterThanOne),
        new("ence", "", MeasureGreaterThanOne),
        new("er", "", MeasureGreaterThanOne),
        new("ic", "", MeasureGreaterThanOne),
        new("able", "", MeasureGreaterThanOne),
        new("ible", "", MeasureGreaterThanOne),
        new("ant", "", MeasureGreaterThanOne),
        new("ement", "", MeasureGreaterThanOne),
        new("ment", "", MeasureGreaterThanOne),
        new("ent", "", MeasureGreaterThanOne),
        new("ion", "", stem => Measure(stem) > 1 && stem[^1] is 's' or 't'),
        new("ou", "", MeasureGreaterThanOne),
        new("ism", "", MeasureGreaterThanOne),
        new("ate", "", MeasureGreaterThanOne),
        new("iti", "", MeasureGreaterThanOne),
        new("ous", "", MeasureGreaterThanOne),
        new("ive", "", MeasureGreaterThanOne),
        new("ize", "", MeasureGreaterThanOne),
    ];

    private static string Step4(string word) => ApplyRuleList(word, Step4Rules);

    private static string Step5A(string word)
    {
        if (word.EndsWith('e'))
        {
            var stem = word[..^1];
            var m = Measure(stem);
            if (m > 1 || (m == 1 && !EndsCvc(stem)))
            {
                return stem;
            }
        }

        return word;
    }

    private static string Step5B(string word)
    {
        // (m > 1 and *d and *L) -> single letter; NLTK measures the word minus one 'l'.
        if (word.EndsWith("ll", StringComparison.Ordinal) && Measure(word[..^1]) > 1)
        {
            return word[..^1];
        }

        return word;
    }
}
