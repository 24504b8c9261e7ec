using System.CommandLine;
using KvGrid.Grid.Hosting;

namespace KvGrid.Cli.Commands;

/// <summary>
/// The --tls-* flags of the silo and the cluster client commands (defaults from KVGRID_TLS_CERT, _KEY, _CA; a
/// password only from KVGRID_TLS_PASSWORD, never from the command line).
/// </summary>
public static class ClusterTlsFlags
{
    public static readonly Option<string> Certificate = new("--tls-cert")
    {
        Description = "mutual TLS: this node's certificate (PEM with --tls-key, or .pfx)", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("KVGRID_TLS_CERT") ?? "",
    };

    public static readonly Option<string> Key = new("--tls-key")
    {
        Description = "mutual TLS: the PEM private key of --tls-cert", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("KVGRID_TLS_KEY") ?? "",
    };

    public static readonly Option<string> Authority = new("--tls-ca")
    {
        Description = "mutual TLS: PEM certificate of the authority peers must chain to", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("KVGRID_TLS_CA") ?? "",
    };

    public static IEnumerable<Option> All => [Certificate, Key, Authority];

    public static ClusterTls From(ParseResult p) => new()
    {
        Certificate = p.GetValue(Certificate) ?? "",
        Key = p.GetValue(Key) ?? "",
        Authority = p.GetValue(Authority) ?? "",
        Password = Environment.GetEnvironmentVariable("KVGRID_TLS_PASSWORD") ?? "",
    };
}
