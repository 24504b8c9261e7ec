using System.CommandLine;
using KvGrid.Benchmarks.Fetching;
using Spectre.Console;

namespace KvGrid.Cli.Commands;

/// <summary>`kvgrid data ...`: fetch the paper's pinned benchmark files into the user cache, list them.</summary>
public static class DataCommands
{
    public static Command Create()
    {
        var cmd = new Command("data", "Benchmark datasets (pinned upstream copies, SHA-256 verified)");
        cmd.Add(Fetch());
        cmd.Add(List());
        return cmd;
    }

    static Command Fetch()
    {
        var names = new Argument<string[]>("names") { Description = $"datasets to fetch (default: all): {string.Join(", ", PinnedManifest.Names)}", Arity = ArgumentArity.ZeroOrMore };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "cache folder (default: $XDG_CACHE_HOME/kvgrid/data)" };
        var baseUrl = new Option<string?>("--base-url") { Description = "mirror serving the upstream repository layout (default: the pinned GitHub raw address)" };
        var cmd = new Command("fetch", "Download pinned dataset files (skips files already cached with the right hash)") { names, cacheDir, baseUrl };
        cmd.SetRunAsync(async (p, ct) =>
        {
            var cache = new DataCache(p.GetValue(cacheDir));
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            var fetcher = new DataFetcher(http, cache, p.GetValue(baseUrl) is { } u ? new Uri(u.EndsWith('/') ? u : u + "/") : null);
            var selected = p.GetValue(names) is { Length: > 0 } n ? n : PinnedManifest.Names.ToArray();
            foreach (var name in selected) PinnedManifest.Get(name); // unknown names fail before any download
            FetchReport? report = null;
            await AnsiConsole.Progress().AutoClear(true).StartAsync(async ctx =>
            {
                var task = ctx.AddTask("fetching", maxValue: selected.Sum(s => PinnedManifest.Get(s).Files.Count));
                report = await fetcher.FetchAsync(selected, new Progress<FetchProgress>(_ => task.Increment(1)), ct);
            });
            Console.WriteLine($"{report!.Files.Count} files in {cache.Root}: {report.Downloaded} downloaded, {report.Cached} already cached");
            return 0;
        });
        return cmd;
    }

    static Command List()
    {
        var cacheDir = new Option<string?>("--cache-dir");
        var cmd = new Command("list", "Pinned datasets and whether they are cached") { cacheDir };
        cmd.SetRun(p =>
        {
            var cache = new DataCache(p.GetValue(cacheDir));
            var table = new Table().AddColumn("dataset").AddColumn("files").AddColumn("cached");
            foreach (var d in PinnedManifest.Datasets)
                table.AddRow(d.Name, d.Files.Count.ToString(), d.Files.Count(f => File.Exists(cache.PathOf(f))).ToString());
            AnsiConsole.Write(table);
            Console.WriteLine($"cache: {cache.Root} (commit {PinnedManifest.Commit})");
            return 0;
        });
        return cmd;
    }
}
