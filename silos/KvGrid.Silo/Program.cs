using KvGrid.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A KvGrid silo: joins the cluster through the membership store, hosts the model shards configured for this
// node, serves /metrics and /health. Configuration: appsettings.json, then KvGrid__* environment variables,
// then --KvGrid:Name=value arguments. SIGTERM stops it gracefully (shards hand back their leases).
var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();
var settings = configuration.GetSection("KvGrid").Get<SiloSettings>() ?? new SiloSettings();
// Structured logs: Logging:Console:FormatterName=json (KVGRID env: Logging__Console__FormatterName=json) emits one
// JSON object per line for log collectors; the default is a single-line human format.
using var host = KvGridProcess.BuildSilo(settings, logging =>
{
    logging.AddConfiguration(configuration.GetSection("Logging"));
    if (configuration["Logging:Console:FormatterName"] == "json") logging.AddJsonConsole(o => o.IncludeScopes = true);
    else logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
}, args);
await host.RunAsync();
