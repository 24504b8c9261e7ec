using System.Text.RegularExpressions;

namespace KvGrid.Results;

/// <summary>Opens a results store from a connection text (the CLI's --store, a silo's configuration).</summary>
public static partial class ResultsStore
{
    /// <summary>The embedded store of a local run (relative to the working folder).</summary>
    public const string DefaultConnection = "results/kvgrid.db";

    /// <summary>
    /// `sqlite:PATH` or a path ending in .db, .sqlite or .sqlite3: the embedded SQLite store (its folder is created);
    /// `Host=...` (Npgsql key=value pairs), `postgres://...` or `postgresql://...`: PostgreSQL.
    /// Nothing is contacted yet: the schema is created on first use, or by <see cref="IResultsStore.EnsureSchemaAsync"/>.
    /// </summary>
    /// <param name="mustExist">For readers (export, list): an SQLite file that does not exist is an error, not a new store.</param>
    public static IResultsStore Open(string connection, bool mustExist = false)
    {
        var s = connection.Trim();
        if (s.Length == 0) throw new KvGridException("results store: empty connection (use sqlite:PATH, a .db file, Host=... or postgresql://...)");
        if (s.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = s["sqlite:".Length..];
            if (path.Length == 0) throw new KvGridException("results store: 'sqlite:' needs a file path");
            return new SqliteResultsStore(path, mustExist);
        }
        if (PostgresConnectionString.IsUri(s) || KeyValueHost().IsMatch(s)) return new PostgresResultsStore(s);
        if (SqliteExtension().IsMatch(s)) return new SqliteResultsStore(s, mustExist);
        throw new KvGridException($"results store '{Redact(s)}': not recognised (use sqlite:PATH, a .db/.sqlite file, Host=... or postgresql://...)");
    }

    /// <summary>
    /// The connection as it may be printed or logged: a PostgreSQL password (key=value or URI form) becomes "***";
    /// SQLite paths are unchanged. Text that cannot be parsed is reduced to what surely holds no secret.
    /// </summary>
    public static string Redact(string connection)
    {
        var s = connection.Trim();
        if (s.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) || SqliteExtension().IsMatch(s) && !KeyValueHost().IsMatch(s)) return s;
        if (PostgresConnectionString.IsUri(s))
            return Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':')
                ? s.Replace(uri.UserInfo, uri.UserInfo[..uri.UserInfo.IndexOf(':')] + ":***", StringComparison.Ordinal)
                : s;
        try
        {
            var b = new Npgsql.NpgsqlConnectionStringBuilder(s);
            if (!string.IsNullOrEmpty(b.Password)) b.Password = "***";
            return b.ConnectionString;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            return PasswordPair().Replace(s, "$1=***");
        }
    }

    [GeneratedRegex(@"\b(password|pwd)\s*=\s*[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPair();

    /// <summary>Opens the store and creates or migrates its schema.</summary>
    public static async Task<IResultsStore> OpenAsync(string connection, bool mustExist = false, CancellationToken ct = default)
    {
        var store = Open(connection, mustExist);
        try
        {
            await store.EnsureSchemaAsync(ct);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    [GeneratedRegex(@"(^|;)\s*(host|server)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValueHost();

    [GeneratedRegex(@"\.(db|sqlite|sqlite3)$", RegexOptions.IgnoreCase)]
    private static partial Regex SqliteExtension();
}
