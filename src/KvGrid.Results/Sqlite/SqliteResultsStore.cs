using KvGrid.Contracts;
using System.Globalization;
using System.Runtime.CompilerServices;
using KvGrid.Results.Storage;
using Microsoft.Data.Sqlite;

namespace KvGrid.Results;

/// <summary>
/// The embedded results store: one SQLite file (write-ahead log, so readers never block the writer), with a busy
/// timeout for writers in other processes and a lock that serialises this process's write transactions.
/// Connections come from Microsoft.Data.Sqlite's pool, one per operation, so the store is safe to share between tasks.
/// </summary>
public sealed class SqliteResultsStore : IResultsStore
{
    const int BusyTimeoutMs = 30_000;
    const int NotADatabase = 26; // SQLITE_NOTADB

    readonly string _connectionString;
    readonly SemaphoreSlim _writeLock = new(1, 1);
    readonly SemaphoreSlim _schemaLock = new(1, 1);
    volatile bool _schemaReady;

    public string FilePath { get; }
    public string Description => $"sqlite {FilePath}";

    /// <param name="path">The database file; created (with its folder) unless <paramref name="mustExist"/>.</param>
    public SqliteResultsStore(string path, bool mustExist = false)
    {
        FilePath = Path.GetFullPath(path);
        if (mustExist && !File.Exists(FilePath)) throw new KvGridException($"{path}: results store not found");
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();
    }

    async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var conn = new SqliteConnection(_connectionString);
        try
        {
            await conn.OpenAsync(ct);
            Execute(conn, null, $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = NORMAL;");
            return conn;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == NotADatabase)
        {
            await conn.DisposeAsync();
            throw new KvGridException($"{FilePath}: not an SQLite database");
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    async Task<SqliteConnection> OpenReadyAsync(CancellationToken ct)
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
            try
            {
                // WAL is a property of the file (it persists), and cannot be switched inside a transaction.
                Execute(conn, null, "PRAGMA journal_mode = WAL;");
                using var tx = conn.BeginTransaction(deferred: false);
                var version = Convert.ToInt32(Scalar(conn, tx, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
                if (version > SqliteSchema.Migrations.Count)
                    throw new KvGridException($"{FilePath}: schema version {version} is newer than this build's {SqliteSchema.Migrations.Count}");
                for (int v = version; v < SqliteSchema.Migrations.Count; v++) Execute(conn, tx, SqliteSchema.Migrations[v]);
                Execute(conn, tx, $"PRAGMA user_version = {SqliteSchema.Migrations.Count};");
                tx.Commit();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == NotADatabase)
            {
                throw new KvGridException($"{FilePath}: not an SQLite database");
            }
            _schemaReady = true;
        }
        finally { _schemaLock.Release(); }
    }

    public async Task RecordSweepAsync(SweepInfo info, string specYaml, CancellationToken ct = default)
    {
        await using var conn = await OpenReadyAsync(ct);
        await _writeLock.WaitAsync(ct);
        try
        {
            using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                INSERT INTO sweeps (sweep_id, name, state, submitted_at, spec_yaml) VALUES ($id, $name, $state, $at, $spec)
                ON CONFLICT (sweep_id) DO UPDATE SET name = excluded.name, state = excluded.state,
                    submitted_at = excluded.submitted_at, spec_yaml = excluded.spec_yaml
                """;
            cmd.Parameters.AddWithValue("$id", info.SweepId);
            cmd.Parameters.AddWithValue("$name", info.Name);
            cmd.Parameters.AddWithValue("$state", info.State.ToString());
            cmd.Parameters.AddWithValue("$at", UtcText(info.SubmittedAt));
            cmd.Parameters.AddWithValue("$spec", specYaml);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        finally { _writeLock.Release(); }
    }

    public async Task UpsertAsync(IReadOnlyList<TrialResult> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0) return;
        foreach (var row in rows) TrialCells.Validate(row);
        await using var conn = await OpenReadyAsync(ct);
        await _writeLock.WaitAsync(ct);
        try
        {
            using var tx = conn.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: take the write lock up front
            using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = UpsertSql;
            var parameters = TrialColumns.All.Select(c => cmd.Parameters.Add(new SqliteParameter("$" + c.Name, null))).ToArray();
            cmd.Prepare();
            // Ordinal order: the same rows always touch the table in the same order.
            foreach (var row in rows.OrderBy(r => r.TrialId, StringComparer.Ordinal))
            {
                ct.ThrowIfCancellationRequested();
                for (int i = 0; i < parameters.Length; i++) parameters[i].Value = ToSqlite(TrialColumns.All[i].Get(row));
                await cmd.ExecuteNonQueryAsync(ct);
            }
            tx.Commit();
        }
        finally { _writeLock.Release(); }
    }

    static readonly string UpsertSql =
        $"INSERT INTO trials ({TrialColumns.NameList}) VALUES ({string.Join(", ", TrialColumns.All.Select(c => "$" + c.Name))}) "
        + $"ON CONFLICT (trial_id) DO UPDATE SET {string.Join(", ", TrialColumns.All.Skip(1).Select(c => $"{c.Name} = excluded.{c.Name}"))} "
        + $"WHERE trials.status = '{TrialColumns.StatusFailed}'";

    public async Task<IReadOnlySet<string>> CompletedTrialIdsAsync(string sweepId, CancellationToken ct = default)
    {
        await using var conn = await OpenReadyAsync(ct);
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT trial_id FROM trials WHERE sweep_id = $sweep AND status = '{TrialColumns.StatusOk}'";
        cmd.Parameters.AddWithValue("$sweep", sweepId);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }

    public async IAsyncEnumerable<TrialResult> ReadAsync(string? sweepId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var conn = await OpenReadyAsync(ct);
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT {TrialColumns.NameList} FROM trials"
            + (sweepId is null ? "" : " WHERE sweep_id = $sweep")
            + " ORDER BY sweep_id, context_id, trial_id";
        if (sweepId is not null) cmd.Parameters.AddWithValue("$sweep", sweepId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var cells = new DbCellReader(reader, Description);
        while (await reader.ReadAsync(ct)) yield return TrialCells.FromCells(cells);
    }

    public async Task<ResultCounts> CountAsync(string? sweepId, CancellationToken ct = default)
    {
        await using var conn = await OpenReadyAsync(ct);
        using var cmd = conn.CreateCommand();
        // char(31) (unit separator) cannot collide the way a plain concatenation of two ids could.
        cmd.CommandText = $"""
            SELECT coalesce(sum(status = '{TrialColumns.StatusOk}'), 0), coalesce(sum(status = '{TrialColumns.StatusFailed}'), 0),
                   count(DISTINCT sweep_id || char(31) || context_id)
            FROM trials
            """ + (sweepId is null ? "" : " WHERE sweep_id = $sweep");
        if (sweepId is not null) cmd.Parameters.AddWithValue("$sweep", sweepId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new ResultCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public async Task<IReadOnlyList<(SweepInfo Info, string SpecYaml)>> ListSweepsAsync(CancellationToken ct = default)
    {
        await using var conn = await OpenReadyAsync(ct);
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT sweep_id, name, state, submitted_at, spec_yaml FROM sweeps ORDER BY submitted_at, sweep_id";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(SweepInfo, string)>();
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            var info = new SweepInfo(id, reader.GetString(1), SweepStates.Parse(reader.GetString(2), Description, id),
                DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
            list.Add((info, reader.GetString(4)));
        }
        return list;
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file (and its -wal/-shm companions) open; closing them checkpoints the log.
        using (var conn = new SqliteConnection(_connectionString)) SqliteConnection.ClearPool(conn);
        _writeLock.Dispose();
        _schemaLock.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The SQLite cell of a column value (see <see cref="SqliteSchema"/> for the representation).</summary>
    static object ToSqlite(object? cell) => cell switch
    {
        null => DBNull.Value,
        double d when double.IsNaN(d) => "NaN",
        bool b => b ? 1L : 0L,
        DateTimeOffset t => UtcText(t),
        _ => cell,
    };

    static string UtcText(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    static void Execute(SqliteConnection conn, SqliteTransaction? tx, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    static object? Scalar(SqliteConnection conn, SqliteTransaction? tx, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
