namespace KvGrid.Deployment.Tests.Telemetry;

/// <summary>
/// How OpenTelemetry.Exporter.Prometheus.AspNetCore 1.20.1-beta.1 names an instrument's series (its internal
/// PrometheusMetric class, following the OpenTelemetry spec "Prometheus and OpenMetrics compatibility"), checked
/// against a real scrape (Fixtures/scraped-metric-names.txt):
/// <list type="number">
/// <item>name: every character other than a letter, digit or ':' becomes '_', runs of '_' collapse to one;</item>
/// <item>unit: annotations in braces are dropped ("{trial}" is no unit), "a/b" becomes "a_per_b" with b singular
/// ("{token}/s" -> "per_second"), abbreviations become words ("s" -> "seconds", "By" -> "bytes"), "1" is no unit
/// (1.20 no longer appends "_ratio");</item>
/// <item>the unit is appended as "_unit" unless the name already ends with it;</item>
/// <item>counters get "_total" unless the name already ends with it (gauges never: kvgrid.sweep.trials.total
/// stays kvgrid_sweep_trials_total);</item>
/// <item>histograms are exported as NAME_bucket (label le), NAME_sum and NAME_count.</item>
/// </list>
/// </summary>
public static class PrometheusNaming
{
    /// <summary>The metric family name (for histograms, the name before _bucket/_sum/_count).</summary>
    public static string FamilyName(Instrument instrument)
    {
        var name = Sanitize(instrument.Name);
        var unit = Unit(instrument.Unit);
        if (unit.Length > 0 && !name.EndsWith(unit, StringComparison.Ordinal)) name += "_" + unit;
        if (instrument.Kind == InstrumentKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal)) name += "_total";
        return name;
    }

    /// <summary>The series names Prometheus stores for the instrument.</summary>
    public static IEnumerable<string> SeriesNames(Instrument instrument)
    {
        var family = FamilyName(instrument);
        return instrument.Kind == InstrumentKind.Histogram
            ? [family + "_bucket", family + "_sum", family + "_count"]
            : [family];
    }

    public static string Sanitize(string name)
    {
        var chars = new List<char>(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var keep = char.IsAsciiLetterOrDigit(c) || c == ':';
            if (i == 0 && char.IsAsciiDigit(c)) keep = false;
            if (keep) chars.Add(c);
            else if (chars.Count == 0 || chars[^1] != '_') chars.Add('_');
        }
        return new string([.. chars]);
    }

    public static string Unit(string ucum)
    {
        var unit = RemoveAnnotations(ucum);
        var slash = unit.IndexOf('/');
        if (slash >= 0 && slash < unit.Length - 1)
        {
            var perUnit = Word(unit[..slash]);
            var per = PerWord(unit[(slash + 1)..]);
            return perUnit.Length == 0 ? "per_" + per : perUnit + "_per_" + per;
        }
        return Word(unit);
    }

    static string RemoveAnnotations(string unit)
    {
        var result = new System.Text.StringBuilder();
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{') depth++;
            else if (c == '}' && depth > 0) depth--;
            else if (depth == 0) result.Append(c);
        }
        return result.ToString();
    }

    static string Word(string unit) => unit switch
    {
        "d" => "days", "h" => "hours", "min" => "minutes", "s" => "seconds", "ms" => "milliseconds",
        "us" => "microseconds", "ns" => "nanoseconds",
        "By" => "bytes", "KiBy" => "kibibytes", "MiBy" => "mebibytes", "GiBy" => "gibibytes", "TiBy" => "tibibytes",
        "KBy" => "kilobytes", "MBy" => "megabytes", "GBy" => "gigabytes", "TBy" => "terabytes",
        "m" => "meters", "V" => "volts", "A" => "amperes", "J" => "joules", "W" => "watts", "g" => "grams",
        "Cel" => "celsius", "Hz" => "hertz", "1" => "", "%" => "percent", "$" => "dollars",
        _ => unit,
    };

    static string PerWord(string unit) => unit switch
    {
        "s" => "second", "m" => "minute", "h" => "hour", "d" => "day", "w" => "week", "mo" => "month", "y" => "year",
        _ => unit,
    };
}
