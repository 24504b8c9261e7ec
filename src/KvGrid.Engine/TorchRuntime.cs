using TorchSharp;
using static TorchSharp.torch;

namespace KvGrid.Engine;

/// <summary>Run-time choice of device and dtype (the build only chooses which libtorch is bundled).</summary>
public static class TorchRuntime
{
    /// <summary>Parses "cpu", "cuda" or "cuda:N". A CUDA device on a machine without CUDA is a user error.</summary>
    public static Device ParseDevice(string? spec)
    {
        var s = string.IsNullOrWhiteSpace(spec) ? "cpu" : spec.Trim().ToLowerInvariant();
        if (s == "cpu") return CPU;
        if (s == "cuda" || s.StartsWith("cuda:", StringComparison.Ordinal))
        {
            int index = 0;
            if (s.Length > 5 && !int.TryParse(s.AsSpan(5), out index))
                throw new KvGridException($"--device '{spec}': expected cpu, cuda or cuda:N");
            if (!cuda.is_available())
                throw new KvGridException($"--device '{spec}': CUDA is not available on this machine (this build bundles the {BuildInfo.TorchBackend} libtorch; build with -p:TorchBackend=cuda for GPU nodes)");
            if (index < 0 || index >= cuda.device_count())
                throw new KvGridException($"--device '{spec}': this machine has {cuda.device_count()} CUDA device(s)");
            return new Device(DeviceType.CUDA, index);
        }
        throw new KvGridException($"--device '{spec}': expected cpu, cuda or cuda:N");
    }

    /// <summary>Parses float32|bfloat16|float16 (and common aliases); null means the device default.</summary>
    public static ScalarType ParseDType(string? spec, Device device)
    {
        if (string.IsNullOrWhiteSpace(spec)) return DefaultDType(device);
        return spec.Trim().ToLowerInvariant() switch
        {
            "float32" or "fp32" or "f32" or "float" => ScalarType.Float32,
            "bfloat16" or "bf16" => ScalarType.BFloat16,
            "float16" or "fp16" or "f16" or "half" => ScalarType.Float16,
            _ => throw new KvGridException($"--dtype '{spec}': expected float32, bfloat16 or float16"),
        };
    }

    /// <summary>float32 on CPU (exact, and the reference for tests), bfloat16 on CUDA (as the paper ran).</summary>
    public static ScalarType DefaultDType(Device device) => device.type == DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32;

    public static string DTypeName(ScalarType t) => t switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => t.ToString().ToLowerInvariant(),
    };

    public static int ElementSize(ScalarType t) => t switch
    {
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.BFloat16 or ScalarType.Float16 or ScalarType.Int16 => 2,
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };
}
