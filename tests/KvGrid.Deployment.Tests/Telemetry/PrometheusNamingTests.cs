namespace KvGrid.Deployment.Tests.Telemetry;

public sealed class PrometheusNamingTests
{
    // Expected names are the ones a real scrape of a KvGrid silo produced (Fixtures/scraped-metric-names.txt),
    // and the sanitising cases of the exporter's own PrometheusMetricTests.
    [Theory]
    [InlineData("kvgrid.trials.started", "{trial}", InstrumentKind.Counter, "kvgrid_trials_started_total")]
    [InlineData("kvgrid.trial.duration", "s", InstrumentKind.Histogram, "kvgrid_trial_duration_seconds")]
    [InlineData("kvgrid.shard.model_load.duration", "s", InstrumentKind.Histogram, "kvgrid_shard_model_load_duration_seconds")]
    [InlineData("kvgrid.sweep.trials.total", "{trial}", InstrumentKind.Gauge, "kvgrid_sweep_trials_total")]
    [InlineData("kvgrid.defense.success", "1", InstrumentKind.Gauge, "kvgrid_defense_success")]
    [InlineData("kvgrid.kv_cache.size", "By", InstrumentKind.Gauge, "kvgrid_kv_cache_size_bytes")]
    [InlineData("kvgrid.prefill.throughput", "{token}/s", InstrumentKind.Gauge, "kvgrid_prefill_throughput_per_second")]
    [InlineData("dotnet.gc.pause.time", "s", InstrumentKind.Counter, "dotnet_gc_pause_time_seconds_total")]
    [InlineData("dotnet.process.memory.working_set", "By", InstrumentKind.Gauge, "dotnet_process_memory_working_set_bytes")]
    [InlineData("orleans-app-requests-latency", "ms", InstrumentKind.Histogram, "orleans_app_requests_latency_milliseconds")]
    [InlineData("orleans-catalog-activations", "", InstrumentKind.Gauge, "orleans_catalog_activations")]
    public void Family_names_follow_the_exporter(string name, string unit, InstrumentKind kind, string expected) =>
        Assert.Equal(expected, PrometheusNaming.FamilyName(new Instrument(name, unit, kind)));

    [Theory]
    [InlineData("active_directory_ds_replication_network_io", "active_directory_ds_replication_network_io")]
    [InlineData("cpu_sp__d_hertz", "cpu_sp_d_hertz")]
    [InlineData("_cpu_speed_hertz_", "_cpu_speed_hertz_")]
    [InlineData("0cpu_speed_hertz", "_cpu_speed_hertz")]
    [InlineData("cpu_sp$d_hertz", "cpu_sp_d_hertz")]
    public void Names_are_sanitised_like_the_exporter(string name, string expected) =>
        Assert.Equal(expected, PrometheusNaming.Sanitize(name));

    [Fact]
    public void A_counter_already_ending_in_total_gets_no_second_suffix() =>
        Assert.Equal("requests_total", PrometheusNaming.FamilyName(new Instrument("requests.total", "{request}", InstrumentKind.Counter)));

    [Fact]
    public void Histograms_are_stored_as_bucket_sum_and_count() =>
        Assert.Equal(["x_seconds_bucket", "x_seconds_sum", "x_seconds_count"],
            PrometheusNaming.SeriesNames(new Instrument("x", "s", InstrumentKind.Histogram)));

    [Fact]
    public void Every_kvgrid_series_of_a_real_scrape_is_predicted_from_GridMetrics()
    {
        // Differential check: the real exporter's names against the rules applied to the parsed instruments.
        var scraped = KnownMetrics.Scraped
            .Where(n => n.StartsWith("kvgrid_", StringComparison.Ordinal) && !n.EndsWith("_created", StringComparison.Ordinal))
            .ToList();
        Assert.True(scraped.Count >= 25, $"fixture holds only {scraped.Count} kvgrid_ names");
        Assert.DoesNotContain(scraped, n => !KnownMetrics.GridSeries.Contains(n));
    }
}
