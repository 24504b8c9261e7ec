using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KvGrid.Cluster.Tests;

/// <summary>A certificate authority and leaf certificates signed by it (and one stranger), written as PEM files.</summary>
public static class TestCertificates
{
    public sealed record Pair(string Certificate, string Key);
    public sealed record Set(string Authority, Pair Silo, Pair Client, Pair Stranger);

    public static Set Write(string folder)
    {
        Directory.CreateDirectory(folder);
        using var caKey = RSA.Create(2048);
        using var ca = Authority("CN=kvgrid test authority", caKey);
        using var otherKey = RSA.Create(2048);
        using var other = Authority("CN=someone else", otherKey);
        var authority = Path.Combine(folder, "ca.pem");
        File.WriteAllText(authority, ca.ExportCertificatePem());
        return new Set(authority, Leaf(folder, "silo", ca), Leaf(folder, "client", ca), Leaf(folder, "stranger", other));
    }

    static X509Certificate2 Authority(string subject, RSA key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    static Pair Leaf(string folder, string name, X509Certificate2 issuer)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=kvgrid-{name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // server and client authentication
        var serial = RandomNumberGenerator.GetBytes(16);
        using var certificate = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), serial);
        var pair = new Pair(Path.Combine(folder, name + ".pem"), Path.Combine(folder, name + ".key"));
        File.WriteAllText(pair.Certificate, certificate.ExportCertificatePem());
        File.WriteAllText(pair.Key, key.ExportPkcs8PrivateKeyPem());
        return pair;
    }
}
