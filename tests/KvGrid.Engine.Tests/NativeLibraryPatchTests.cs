using System.Text;
using KvGrid.TestSupport;

namespace KvGrid.Engine.Tests;

/// <summary>
/// The build marks libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak in output folders when the system
/// libstdc++ lacks that version, and never touches the NuGet cache's copy.
/// </summary>
public sealed class NativeLibraryPatchTests
{
    static readonly string Needed = "GLIBCXX_3.4.32";

    [Fact]
    public void OutputCopyIsPatchedOnlyWhereNeeded_AndTheNuGetCacheIsNot()
    {
        var output = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).Single();
        bool systemHasIt = SystemLibstdcxxHas(Needed);
        var flags = VersionNeedFlags(output);
        Assert.True(flags.ContainsKey(Needed), "the library no longer asks for " + Needed + ": the patch may be obsolete");
        Assert.Equal(!systemHasIt, (flags[Needed] & 2) != 0);

        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (File.Exists(cached)) Assert.Equal(0, VersionNeedFlags(cached)[Needed] & 2);
    }

    [Fact]
    public void TorchRunsAMatmul()
    {
        using var a = TorchSharp.torch.ones(8, 8);
        using var b = a.matmul(a);
        Assert.Equal(512f, b.sum().item<float>()); // 8x8 ones squared: every entry is 8
    }

    static bool SystemLibstdcxxHas(string version)
    {
        foreach (var dir in new[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib" })
        {
            var f = Path.Combine(dir, "libstdc++.so.6");
            if (File.Exists(f)) return Encoding.ASCII.GetString(File.ReadAllBytes(f)).Contains(version + "\0");
        }
        return false;
    }

    /// <summary>vna_flags of every version a shared library needs, read from its .gnu.version_r section.</summary>
    static Dictionary<string, int> VersionNeedFlags(string path)
    {
        var elf = File.ReadAllBytes(path);
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int entSize = BitConverter.ToUInt16(elf, 0x3A), count = BitConverter.ToUInt16(elf, 0x3C);
        var result = new Dictionary<string, int>();
        for (int s = 0; s < count; s++)
        {
            int header = (int)(shoff + s * entSize);
            if (BitConverter.ToUInt32(elf, header + 4) != 0x6ffffffe) continue;
            int section = (int)BitConverter.ToInt64(elf, header + 24);
            int linked = (int)BitConverter.ToUInt32(elf, header + 40);
            int strings = (int)BitConverter.ToInt64(elf, (int)(shoff + linked * entSize) + 24);
            for (int need = section, n = 0; n < BitConverter.ToUInt32(elf, header + 44); n++)
            {
                for (int aux = need + (int)BitConverter.ToUInt32(elf, need + 8), a = 0; a < BitConverter.ToUInt16(elf, need + 2); a++)
                {
                    int name = strings + (int)BitConverter.ToUInt32(elf, aux + 8);
                    result[Encoding.ASCII.GetString(elf, name, Array.IndexOf(elf, (byte)0, name) - name)] = BitConverter.ToUInt16(elf, aux + 4);
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }
        return result;
    }
}
