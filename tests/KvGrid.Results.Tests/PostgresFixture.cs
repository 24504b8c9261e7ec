using KvGrid.LocalServices;
using KvGrid.TestSupport;

namespace KvGrid.Results.Tests;

/// <summary>One private PostgreSQL server for every PostgreSQL test of this assembly (null when the binaries are missing).</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public LocalPostgres? Server { get; private set; }

    public async Task InitializeAsync()
    {
        if (LocalPostgres.Available) Server = await LocalPostgres.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }

    /// <summary>A new empty database (the calling test is skipped, or fails under ./test.sh, without a server).</summary>
    public Task<string> NewDatabaseAsync()
    {
        ExternalTools.RequirePostgres();
        return Server!.CreateUniqueDatabaseAsync("results");
    }
}

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
