using KvGrid.Chaos;
using System.Net;
using System.Net.Sockets;
using KvGrid.Deployment.Tests.Dashboards;
using KvGrid.TestSupport;
using Xunit.Abstractions;

namespace KvGrid.Cluster.Tests;

/// <summary>
/// A real Prometheus (Debian's prometheus) scrapes an embedded `sweep run --metrics-port` while it runs; every
/// PromQL expression of the Grafana dashboards must return data, and promtool must accept the /metrics text.
/// </summary>
[Collection("grid")]
public sealed class ObservabilityTests(GridFixture grid, ITestOutputHelper output)
{
    const string Prometheus = "/usr/bin/prometheus", Promtool = "/usr/bin/promtool";

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [SkippableFact]
    public async Task DashboardsQueriesReturnDataAndPromtoolAcceptsTheMetrics()
    {
        ExternalTools.Require(File.Exists(Prometheus) && File.Exists(Promtool), "prometheus and promtool (Debian package prometheus)");
        int metricsPort = FreePort(), webPort = FreePort();
        var spec = grid.WriteSpec("observed", count: 24, maxNewTokens: 32, presses: "[knorm, snapkv, tova]");
        var db = Path.Combine(grid.Root, "observed.db");
        using var run = CliProcess.Start("run", TestPaths.RepoRoot, "sweep", "run", spec, "--results", "sqlite:" + db, "--no-progress", "--metrics-port", metricsPort.ToString());

        var dir = Directory.CreateTempSubdirectory("kvgrid-prom-").FullName;
        File.WriteAllText(Path.Combine(dir, "prometheus.yml"),
            $"global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: kvgrid\n    static_configs:\n      - targets: [\"127.0.0.1:{metricsPort}\"]\n");
        var prometheus = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Prometheus,
            $"--config.file={dir}/prometheus.yml --storage.tsdb.path={dir}/data --web.listen-address=127.0.0.1:{webPort}")
            { RedirectStandardError = true, RedirectStandardOutput = true })!;
        prometheus.ErrorDataReceived += (_, _) => { };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            // The silo's endpoint: /health answers, and /metrics shows trials being completed.
            string metrics = "";
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(300);
            while (true)
            {
                Assert.False(run.HasExited, "the sweep ended too early:\n" + run.Output);
                Assert.True(DateTime.UtcNow < deadline, "no trial completed:\n" + run.Output);
                try
                {
                    metrics = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
                    // Two contexts completed: every kind of series exists (quality gauges, context counters).
                    var completed = System.Text.RegularExpressions.Regex.Match(metrics, @"kvgrid_contexts_completed_total\{[^}]*\} (\d+)");
                    if (completed.Success && int.Parse(completed.Groups[1].Value) >= 2) break;
                }
                catch (HttpRequestException) { }
                await Task.Delay(500);
            }
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{metricsPort}/health")).StatusCode);
            // promtool parses the exposition (exit 1 on a format error) and lints it (exit 3 on style problems).
            // KvGrid's own series must be clean; .NET runtime and Orleans series carry upstream names (e.g. no
            // help text, milliseconds) that are theirs to fix.
            int code = ExternalTools.Run(Promtool, "check metrics", metrics, out var lint);
            output.WriteLine($"promtool exit {code}:\n{lint}");
            Assert.True(code is 0 or 3, lint);
            var ours = lint.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("dotnet_") && !l.StartsWith("orleans_")).ToList();
            Assert.True(ours.Count == 0, "promtool problems in KvGrid's metrics:\n" + string.Join("\n", ours));

            // Let Prometheus collect a few scrapes while the sweep runs, then evaluate every dashboard query.
            await Task.Delay(TimeSpan.FromSeconds(8));
            Assert.False(run.HasExited, "the sweep ended before the queries could be evaluated: make it longer");
            using var prom = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/"), Timeout = TimeSpan.FromSeconds(30) };
            var empty = await DashboardQueriesLiveTests.QueriesWithoutDataAsync(prom);
            Assert.True(empty.Count == 0, "queries without data:\n" + string.Join("\n", empty));
        }
        finally
        {
            prometheus.Kill(true);
            prometheus.WaitForExit(5000);
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
