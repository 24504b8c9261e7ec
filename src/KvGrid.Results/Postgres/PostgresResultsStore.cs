using KvGrid.Contracts;
using System.Runtime.CompilerServices;
using KvGrid.Results.Storage;
using Npgsql;
using NpgsqlTypes;

namespace KvGrid.Results;

/// <summary>
/// The cluster results store: PostgreSQL, schema `kvgrid` (created and migrated by <see cref="EnsureSchemaAsync"/>),
/// pooled connections from one <see cref="NpgsqlDataSource"/>. Every silo writes its results here concurrently;
/// `INSERT ... ON CONFLICT (trial_id) DO UPDATE ... WHERE status = 'failed'` makes each write idempotent.
/// </summary>
public sealed class PostgresResultsStore : IResultsStore
{
    const int BatchSize = 500;
    const int Attempts = 3;

    readonly NpgsqlDataSource _dataSource;
    readonly SemaphoreSlim _schemaLock = new(1, 1);
    volatile bool _schemaReady;

    public string Description { get; }

    /// <param name="connectionString">An Npgsql key=value connection string (see <see cref="PostgresConnectionString"/> for URIs).</param>
    public PostgresResultsStore(string connectionString)
    {
        var builder = PostgresConnectionString.Parse(connectionString);
        Description = $"postgresql {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        try { return await _dataSource.OpenConnectionAsync(ct); }
        catch (NpgsqlException e) when (e is not PostgresException || IsConnectionError((PostgresException)e))
        {
            throw new KvGridException($"{Description}: cannot connect: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    // Class 28: invalid authorization; 3D000: the database does not exist.
    static bool IsConnectionError(PostgresException e) => e.SqlState.StartsWith("28", StringComparison.Ordinal) || e.SqlState == "3D000";

    async Task<NpgsqlConnection> OpenReadyAsync(CancellationToken ct)
    {
        await EnsureSchemaAsync(ct);
        return await OpenAsync(ct);
    }

    public async Task EnsureSchemaAsync(CancellationToken ct = default)
    {
        if (_schemaReady) return;
        await _schemaLock.WaitAsync(ct);
        try
        {
            if (_schemaReady) return;
            await using var conn = await OpenAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            // Silos starting together: the first migrates, the others wait here and then find nothing to do.
            await ExecuteAsync(conn, tx, $"SELECT pg_advisory_xact_lock({PostgresSchema.MigrationLockKey})", ct);
            await ExecuteAsync(conn, tx, $"CREATE SCHEMA IF NOT EXISTS {PostgresSchema.Name}; {PostgresSchema.VersionTable}", ct);
            await using (var cmd = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM kvgrid.schema_version", conn, tx))
            {
                var version = Convert.ToInt32(await cmd.ExecuteScalarAsync(ct));
                if (version > PostgresSchema.Migrations.Count)
                    throw new KvGridException($"{Description}: schema version {version} is newer than this build's {PostgresSchema.Migrations.Count}");
                for (int v = version; v < PostgresSchema.Migrations.Count; v++)
                {
                    var (description, sql) = PostgresSchema.Migrations[v];
                    await ExecuteAsync(conn, tx, sql, ct);
                    await using var record = new NpgsqlCommand("INSERT INTO kvgrid.schema_version (version, description) VALUES ($1, $2)", conn, tx);
                    record.Parameters.Add(new NpgsqlParameter { Value = v + 1 });
                    record.Parameters.Add(new NpgsqlParameter { Value = description });
                    await record.ExecuteNonQueryAsync(ct);
                }
            }
            await tx.CommitAsync(ct);
            _schemaReady = true;
        }
        finally { _schemaLock.Release(); }
    }

    public async Task RecordSweepAsync(SweepInfo info, string specYaml, CancellationToken ct = default)
    {
        await using var conn = await OpenReadyAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO kvgrid.sweeps (sweep_id, name, state, submitted_at, spec_yaml) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (sweep_id) DO UPDATE SET name = EXCLUDED.name, state = EXCLUDED.state,
                submitted_at = EXCLUDED.submitted_at, spec_yaml = EXCLUDED.spec_yaml
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = info.SweepId, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = info.Name, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = info.State.ToString(), NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = info.SubmittedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = specYaml, NpgsqlDbType = NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    static readonly string UpsertSql =
        $"INSERT INTO kvgrid.trials ({TrialColumns.NameList}) VALUES ({string.Join(", ", TrialColumns.All.Select((_, i) => $"${i + 1}"))}) "
        + $"ON CONFLICT (trial_id) DO UPDATE SET {string.Join(", ", TrialColumns.All.Skip(1).Select(c => $"{c.Name} = EXCLUDED.{c.Name}"))} "
        + $"WHERE kvgrid.trials.status = '{TrialColumns.StatusFailed}'";

    public async Task UpsertAsync(IReadOnlyList<TrialResult> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0) return;
        foreach (var row in rows) TrialCells.Validate(row);
        // Ordinal order: two writers with overlapping rows lock them in the same order, so they cannot deadlock
        // each other; a deadlock or serialisation failure with some other transaction is retried.
        var sorted = rows.OrderBy(r => r.TrialId, StringComparer.Ordinal).ToArray();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await UpsertOnceAsync(sorted, ct);
                return;
            }
            catch (PostgresException e) when (attempt < Attempts
                && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                await Task.Delay(50 * attempt, ct);
            }
        }
    }

    async Task UpsertOnceAsync(TrialResult[] rows, CancellationToken ct)
    {
        await using var conn = await OpenReadyAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var chunk in rows.Chunk(BatchSize))
        {
            await using var batch = new NpgsqlBatch(conn, tx);
            foreach (var row in chunk)
            {
                var cmd = new NpgsqlBatchCommand(UpsertSql);
                foreach (var c in TrialColumns.All)
                    cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = DbType(c.Kind), Value = ToPostgres(c.Get(row)) });
                batch.BatchCommands.Add(cmd);
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlySet<string>> CompletedTrialIdsAsync(string sweepId, CancellationToken ct = default)
    {
        await using var conn = await OpenReadyAsync(ct);
        await using var cmd = new NpgsqlCommand($"SELECT trial_id FROM kvgrid.trials WHERE sweep_id = $1 AND status = '{TrialColumns.StatusOk}'", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = sweepId, NpgsqlDbType = NpgsqlDbType.Text });
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }

    public async IAsyncEnumerable<TrialResult> ReadAsync(string? sweepId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var conn = await OpenReadyAsync(ct);
        // COLLATE "C": byte order, the same order as the SQLite store and independent of the database's locale.
        await using var cmd = new NpgsqlCommand($"SELECT {TrialColumns.NameList} FROM kvgrid.trials"
            + (sweepId is null ? "" : " WHERE sweep_id = $1")
            + " ORDER BY sweep_id COLLATE \"C\", context_id COLLATE \"C\", trial_id COLLATE \"C\"", conn);
        if (sweepId is not null) cmd.Parameters.Add(new NpgsqlParameter { Value = sweepId, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var cells = new DbCellReader(reader, Description);
        while (await reader.ReadAsync(ct)) yield return TrialCells.FromCells(cells);
    }

    public async Task<ResultCounts> CountAsync(string? sweepId, CancellationToken ct = default)
    {
        await using var conn = await OpenReadyAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            SELECT count(*) FILTER (WHERE status = '{TrialColumns.StatusOk}'), count(*) FILTER (WHERE status = '{TrialColumns.StatusFailed}'),
                   count(DISTINCT (sweep_id, context_id))
            FROM kvgrid.trials
            """ + (sweepId is null ? "" : " WHERE sweep_id = $1"), conn);
        if (sweepId is not null) cmd.Parameters.Add(new NpgsqlParameter { Value = sweepId, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new ResultCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public async Task<IReadOnlyList<(SweepInfo Info, string SpecYaml)>> ListSweepsAsync(CancellationToken ct = default)
    {
        await using var conn = await OpenReadyAsync(ct);
        await using var cmd = new NpgsqlCommand(
            "SELECT sweep_id, name, state, submitted_at, spec_yaml FROM kvgrid.sweeps ORDER BY submitted_at, sweep_id COLLATE \"C\"", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(SweepInfo, string)>();
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            var info = new SweepInfo(id, reader.GetString(1), SweepStates.Parse(reader.GetString(2), Description, id),
                reader.GetFieldValue<DateTimeOffset>(3));
            list.Add((info, reader.GetString(4)));
        }
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _schemaLock.Dispose();
    }

    static NpgsqlDbType DbType(ColumnKind kind) => kind switch
    {
        ColumnKind.Text => NpgsqlDbType.Text,
        ColumnKind.Int32 => NpgsqlDbType.Integer,
        ColumnKind.Int64 => NpgsqlDbType.Bigint,
        ColumnKind.Double => NpgsqlDbType.Double,
        ColumnKind.Bool => NpgsqlDbType.Boolean,
        ColumnKind.Json => NpgsqlDbType.Jsonb,
        ColumnKind.Timestamp => NpgsqlDbType.TimestampTz,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// PostgreSQL text cannot hold U+0000 (a model may emit it through a byte-fallback token): it is stored as
    /// U+FFFD rather than failing the whole batch. Npgsql writes timestamptz only from UTC values (offset 0).
    /// </summary>
    static object ToPostgres(object? cell) => cell switch
    {
        null => DBNull.Value,
        string s when s.Contains('\0') => s.Replace('\0', '\uFFFD'),
        DateTimeOffset t => t.ToUniversalTime(),
        _ => cell,
    };

    static async Task ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
