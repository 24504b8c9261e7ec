using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace KvGrid.Grid.Hosting;

/// <summary>
/// Mutual TLS for silo-to-silo and client-to-gateway traffic (section "KvGrid:Tls", KvGrid__Tls__*; the CLI's --tls-*
/// flags). Both ends present a certificate and accept only peers whose certificate chains to <see cref="Authority"/>
/// (or to the system's trust store when none is given). Off when no certificate is configured (loopback development);
/// the Kubernetes overlays turn it on from a Secret.
/// </summary>
public sealed class ClusterTls
{
    /// <summary>This node's certificate: a PEM file (with <see cref="Key"/>) or a PKCS#12 (.pfx/.p12) file.</summary>
    public string Certificate { get; set; } = "";
    /// <summary>The PEM private key of a PEM certificate (empty: the key is in the certificate file).</summary>
    public string Key { get; set; } = "";
    /// <summary>Password of a PKCS#12 file or of an encrypted PEM key.</summary>
    public string Password { get; set; } = "";
    /// <summary>PEM certificate(s) of the authority every peer's certificate must chain to.</summary>
    public string Authority { get; set; } = "";

    public bool Enabled => !string.IsNullOrWhiteSpace(Certificate);

    /// <summary>Fills Orleans' TLS options: certificates required both ways, validated against the authority.</summary>
    public void Configure(TlsOptions options)
    {
        options.LocalCertificate = LoadCertificate();
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        var authority = LoadAuthority();
        options.RemoteCertificateValidation = (certificate, _, errors) => IsTrusted(certificate, errors, authority);
        // Peers are addressed by IP (pod addresses): the chain proves membership, not the host name.
        options.OnAuthenticateAsClient = (_, client) => client.TargetHost = "kvgrid";
    }

    static bool IsTrusted(X509Certificate2 certificate, SslPolicyErrors errors, X509Certificate2Collection? authority)
    {
        if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) return false;
        if (authority is null) return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public X509Certificate2 LoadCertificate()
    {
        var path = Certificate.Trim();
        try
        {
            var certificate = Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(path, Password.Length > 0 ? Password : null)
                : Password.Length > 0
                    ? X509Certificate2.CreateFromEncryptedPemFile(path, Password, Key.Length > 0 ? Key : null)
                    : X509Certificate2.CreateFromPemFile(path, Key.Length > 0 ? Key : null);
            if (!certificate.HasPrivateKey) throw new KvGridException($"tls certificate '{path}': no private key (give --tls-key / KvGrid__Tls__Key)");
            return certificate;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new KvGridException($"tls certificate '{path}': {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    X509Certificate2Collection? LoadAuthority()
    {
        if (string.IsNullOrWhiteSpace(Authority)) return null;
        var authority = new X509Certificate2Collection();
        try { authority.ImportFromPemFile(Authority.Trim()); }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new KvGridException($"tls authority '{Authority}': {e.Message.ReplaceLineEndings(" ")}");
        }
        return authority.Count > 0 ? authority : throw new KvGridException($"tls authority '{Authority}': no PEM certificate in the file");
    }
}
