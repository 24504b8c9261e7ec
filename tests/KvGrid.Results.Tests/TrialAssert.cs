using KvGrid.Contracts;
using System.Collections;
using System.Reflection;

namespace KvGrid.Results.Tests;

/// <summary>
/// Field-by-field equality of trial rows, over every property by reflection (so a field added to TrialResult is
/// compared without touching the tests). Lists compare by content, dictionaries as key/value sets, doubles
/// exactly (NaN equals NaN), instants as instants.
/// </summary>
static class TrialAssert
{
    static readonly PropertyInfo[] Properties = typeof(TrialResult).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    public static void Equal(TrialResult expected, TrialResult actual)
    {
        foreach (var p in Properties)
        {
            object? e = p.GetValue(expected), a = p.GetValue(actual);
            switch (e)
            {
                case IReadOnlyDictionary<string, double> ed:
                    var ad = Assert.IsAssignableFrom<IReadOnlyDictionary<string, double>>(a);
                    Assert.True(ed.Count == ad.Count && ed.All(kv => ad.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value)),
                        $"{expected.TrialId}.{p.Name}: expected {Show(ed)}, got {Show(ad)}");
                    break;
                case IEnumerable el and not string:
                    var al = Assert.IsAssignableFrom<IEnumerable>(a);
                    Assert.True(el.Cast<object>().SequenceEqual(al.Cast<object>()),
                        $"{expected.TrialId}.{p.Name}: expected [{string.Join(",", el.Cast<object>())}], got [{string.Join(",", al.Cast<object>())}]");
                    break;
                default:
                    Assert.True(Equals(e, a), $"{expected.TrialId}.{p.Name}: expected <{e ?? "null"}>, got <{a ?? "null"}>");
                    break;
            }
        }
    }

    public static void Equal(IReadOnlyList<TrialResult> expected, IReadOnlyList<TrialResult> actual)
    {
        Assert.Equal(expected.Select(r => r.TrialId), actual.Select(r => r.TrialId));
        for (int i = 0; i < expected.Count; i++) Equal(expected[i], actual[i]);
    }

    static string Show(IReadOnlyDictionary<string, double> d) => "{" + string.Join(",", d.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{kv.Value:R}")) + "}";
}
