namespace KvGrid.Sweeps.Spec;

/// <summary>"Did you mean" hints: the closest known name by edit distance, when it is close enough to be a typo.</summary>
internal static class Suggestions
{
    /// <summary>Returns <c>" (did you mean 'x'?)"</c> or the list of known names when none is close.</summary>
    public static string Hint(string given, IEnumerable<string> known)
    {
        var names = known.Distinct(StringComparer.Ordinal).ToList();
        var lower = given.ToLowerInvariant();
        var threshold = Math.Max(2, given.Length / 3);
        // Close by edit distance, or an abbreviation: the given letters appear in order in the name (bf16, window).
        var best = names
            .Select(name => (Name: name, Distance: Distance(lower, name.ToLowerInvariant())))
            .Where(c => c.Distance <= threshold || (lower.Length >= 2 && IsSubsequence(lower, c.Name.ToLowerInvariant())))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (best.Name is not null)
        {
            return $" (did you mean '{best.Name}'?)";
        }

        return names.Count <= 25 ? $" (known: {string.Join(", ", names)})" : "";
    }

    private static bool IsSubsequence(string part, string whole)
    {
        var i = 0;
        foreach (var c in whole)
        {
            if (i < part.Length && part[i] == c)
            {
                i++;
            }
        }

        return i == part.Length;
    }

    // Levenshtein distance; names are short, so the quadratic table is fine.
    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
