using KvGrid.LocalServices;
using KvGrid.Reports.Analysis;
using KvGrid.Reports.Input;
using KvGrid.Reports.Rendering;
using KvGrid.Results;
using KvGrid.TestSupport;

namespace KvGrid.Reports.Tests;

/// <summary>A PostgreSQL results store gives the same tables as the rows themselves (skipped without PostgreSQL binaries).</summary>
public class PostgresInputTests
{
    [SkippableFact]
    public async Task Postgres_store_gives_the_same_tables()
    {
        ExternalTools.RequirePostgres();
        await using var server = await LocalPostgres.StartAsync();
        var connection = await server.CreateUniqueDatabaseAsync("report");
        await using (var store = await ResultsStore.OpenAsync(connection))
            await store.UpsertAsync(Fixture.Rows());

        var (rows, _) = await ReportInput.LoadAsync(connection, Fixture.Sweep);
        var fromDb = ReportTables.All(ReportBuilder.Build(rows, "x", new ReportOptions(200, 7)));
        var direct = ReportTables.All(ReportBuilder.Build(Fixture.Rows(), "x", new ReportOptions(200, 7)));
        foreach (var (id, table) in direct)
            Assert.Equal(CsvTableWriter.ToCsv(table), CsvTableWriter.ToCsv(fromDb[id]));
    }
}
