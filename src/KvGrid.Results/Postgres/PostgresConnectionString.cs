using Npgsql;

namespace KvGrid.Results;

/// <summary>
/// Reads a PostgreSQL connection given as Npgsql key=value pairs ("Host=db;Database=kvgrid;Username=kvgrid") or as
/// a libpq URI ("postgresql://user:secret@db:5432/kvgrid?sslmode=require"), which Npgsql itself does not accept.
/// Errors are one-line <see cref="KvGridException"/>s that never repeat the string (it may hold a password).
/// </summary>
public static class PostgresConnectionString
{
    public static bool IsUri(string s) =>
        s.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    public static NpgsqlConnectionStringBuilder Parse(string connection)
    {
        var builder = IsUri(connection) ? FromUri(connection) : FromKeyValues(connection);
        if (string.IsNullOrWhiteSpace(builder.Host)) throw new KvGridException("results store: the PostgreSQL connection string names no host");
        return builder;
    }

    static NpgsqlConnectionStringBuilder FromKeyValues(string s)
    {
        try { return new NpgsqlConnectionStringBuilder(s); }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new KvGridException($"results store: invalid PostgreSQL connection string: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    static NpgsqlConnectionStringBuilder FromUri(string s)
    {
        if (!Uri.TryCreate(s, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new KvGridException("results store: invalid PostgreSQL URI (expected postgresql://[user[:password]@]host[:port][/database][?param=value])");
        var b = new NpgsqlConnectionStringBuilder { Host = uri.IdnHost };
        if (uri.Port > 0) b.Port = uri.Port;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            b.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) b.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) b.Database = database;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            Apply(b, key, value);
        }
        return b;
    }

    /// <summary>The libpq URI parameters a results store may need, mapped to their Npgsql settings.</summary>
    static void Apply(NpgsqlConnectionStringBuilder b, string key, string value)
    {
        try
        {
            switch (key)
            {
                case "sslmode": b.SslMode = Enum.Parse<SslMode>(value.Replace("-", ""), ignoreCase: true); break;
                case "sslrootcert": b.RootCertificate = value; break;
                case "sslcert": b.SslCertificate = value; break;
                case "sslkey": b.SslKey = value; break;
                case "application_name": b.ApplicationName = value; break;
                case "connect_timeout": b.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "options": b.Options = value; break;
                case "target_session_attrs": b.TargetSessionAttributes = value; break;
                case "user": b.Username = value; break;
                case "password": b.Password = value; break;
                case "dbname": b.Database = value; break;
                case "port": b.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                default: throw new KvGridException($"results store: unsupported PostgreSQL URI parameter '{key}'");
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw new KvGridException($"results store: PostgreSQL URI parameter '{key}': invalid value");
        }
    }
}
