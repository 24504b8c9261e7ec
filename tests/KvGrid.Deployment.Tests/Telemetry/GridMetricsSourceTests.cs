namespace KvGrid.Deployment.Tests.Telemetry;

public sealed class GridMetricsSourceTests
{
    [Fact]
    public void Reads_every_instrument_of_GridMetrics_with_its_unit_and_kind()
    {
        var byName = KnownMetrics.GridInstruments.ToDictionary(i => i.Name);
        var source = File.ReadAllText(GridMetricsSource.FilePath);
        Assert.Equal(CountOccurrences(source, "Meter.Create"), byName.Count);
        // Instruments the dashboards rely on (the observability issue's list).
        Assert.Equal(new Instrument("kvgrid.trials.completed", "{trial}", InstrumentKind.Counter), byName["kvgrid.trials.completed"]);
        Assert.Equal(new Instrument("kvgrid.trial.duration", "s", InstrumentKind.Histogram), byName["kvgrid.trial.duration"]);
        Assert.Equal(new Instrument("kvgrid.sweep.trials.done", "{trial}", InstrumentKind.Gauge), byName["kvgrid.sweep.trials.done"]);
        Assert.Equal(new Instrument("kvgrid.kv_cache.size", "By", InstrumentKind.Gauge), byName["kvgrid.kv_cache.size"]);
        Assert.Equal(new Instrument("kvgrid.decode.throughput", "{token}/s", InstrumentKind.Gauge), byName["kvgrid.decode.throughput"]);
    }

    [Fact]
    public void Splits_arguments_at_top_level_commas_only()
    {
        const string source = """
            static readonly Counter<long> A = Meter.CreateCounter<long>("a.b", "{x}", "one, two");
            static void Init() => Meter.CreateObservableGauge("c.d", () => Items.Select(s => Measure(s.V, ("k", s.Key))), "By", "(bytes)");
            """;
        Assert.Equal(
            [new Instrument("a.b", "{x}", InstrumentKind.Counter), new Instrument("c.d", "By", InstrumentKind.Gauge)],
            GridMetricsSource.Parse(source, "T.cs"));
    }

    [Fact]
    public void A_name_that_is_not_a_literal_is_reported_with_file_and_line()
    {
        var e = Assert.Throws<FormatException>(() => GridMetricsSource.Parse("x\nMeter.CreateCounter<long>(Name, \"1\");", "T.cs"));
        Assert.StartsWith("T.cs:2: expected a string literal", e.Message);
    }

    [Fact]
    public void An_instrument_kind_without_a_naming_rule_is_refused()
    {
        var e = Assert.Throws<FormatException>(() => GridMetricsSource.Parse("Meter.CreateUpDownCounter<long>(\"a\", \"1\");", "T.cs"));
        Assert.StartsWith("T.cs:1: Meter.CreateUpDownCounter", e.Message);
    }

    static int CountOccurrences(string s, string what)
    {
        var n = 0;
        for (var i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
