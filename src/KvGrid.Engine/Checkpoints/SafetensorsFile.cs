using System.IO.MemoryMappedFiles;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace KvGrid.Engine.Checkpoints;

/// <summary>One tensor's entry in a safetensors header.</summary>
public sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// A validated, memory-mapped safetensors file. The header is checked completely before any tensor is read,
/// so a damaged file fails with one line naming the file (and the tensor), never with a native crash.
/// Tensors are read one at a time straight from the mapping into their target dtype and device, so loading
/// never holds two full copies of the weights.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    const long MaxHeaderBytes = 100L * 1024 * 1024; // the format's own limit

    static readonly Dictionary<string, (ScalarType Type, int Size)> Supported = new()
    {
        ["F32"] = (ScalarType.Float32, 4),
        ["F16"] = (ScalarType.Float16, 2),
        ["BF16"] = (ScalarType.BFloat16, 2),
    };
    static readonly HashSet<string> KnownButUnsupported = ["F64", "I64", "I32", "I16", "I8", "U8", "U16", "U32", "U64", "BOOL", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64"];

    readonly MemoryMappedFile? _map;
    readonly long _dataStart;
    public string Path { get; }
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    SafetensorsFile(string path, MemoryMappedFile? map, long dataStart, Dictionary<string, SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Path = path; _map = map; _dataStart = dataStart; Entries = entries; Metadata = metadata;
    }

    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path}: not found");
        try { return OpenFile(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{path}: cannot read ({ModelConfig.FirstLine(e.Message)})");
        }
    }

    static SafetensorsFile OpenFile(string path)
    {
        long fileLength = new FileInfo(path).Length;
        if (fileLength < 8) throw new CheckpointException($"{path}: truncated file ({fileLength} bytes; a safetensors file starts with an 8-byte header length)");
        byte[] header;
        long headerLength;
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            Span<byte> len = stackalloc byte[8];
            fs.ReadExactly(len);
            headerLength = BitConverter.ToInt64(len);
            if (headerLength < 2 || headerLength > MaxHeaderBytes)
                throw new CheckpointException($"{path}: header length {(ulong)headerLength} is not plausible (file is {fileLength} bytes)");
            if (headerLength > fileLength - 8)
                throw new CheckpointException($"{path}: header length {headerLength} extends beyond the end of the file ({fileLength} bytes): truncated file?");
            header = new byte[headerLength];
            fs.ReadExactly(header);
        }
        long dataStart = 8 + headerLength, dataLength = fileLength - dataStart;
        var (entries, metadata) = ParseHeader(path, header, dataLength);
        var map = dataLength > 0 ? MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read) : null;
        return new SafetensorsFile(path, map, dataStart, entries, metadata);
    }

    /// <summary>
    /// Validates a header as the reference implementation does: strict UTF-8, a JSON object of tensor entries
    /// (plus an optional __metadata__ object of strings), each entry's byte size matching its shape and dtype,
    /// and the entries, sorted by offset, covering the data section exactly: from 0, no gaps, no overlaps,
    /// ending at the end of the file.
    /// </summary>
    static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) ParseHeader(string path, byte[] header, long dataLength)
    {
        var root = JsonFile.Parse(path, header, offset: 8, what: "header");
        if (root.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{path}: header must be a JSON object, got {root.ValueKind.ToString().ToLowerInvariant()}");
        var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>();
        foreach (var prop in root.EnumerateObject())
        {
            if (prop.Name == "__metadata__")
            {
                if (prop.Value.ValueKind == JsonValueKind.Null) continue;
                if (prop.Value.ValueKind != JsonValueKind.Object)
                    throw new CheckpointException($"{path}: header '__metadata__' must be an object of strings, got {JsonFile.Show(prop.Value)}");
                foreach (var m in prop.Value.EnumerateObject())
                    metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()!
                        : throw new CheckpointException($"{path}: header '__metadata__' key '{JsonFile.Clean(m.Name)}' must be a string, got {JsonFile.Show(m.Value)}");
                continue;
            }
            if (!entries.TryAdd(prop.Name, ParseEntry(path, prop.Name, prop.Value, dataLength)))
                throw new CheckpointException($"{path}: tensor '{JsonFile.Clean(prop.Name)}' appears twice in the header");
        }
        long covered = 0;
        SafetensorsEntry? previous = null;
        foreach (var e in entries.Values.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < covered)
                throw new CheckpointException($"{path}: tensors '{JsonFile.Clean(previous!.Name)}' [{previous.Begin}, {previous.End}) and '{JsonFile.Clean(e.Name)}' [{e.Begin}, {e.End}) overlap");
            if (e.Begin > covered)
                throw new CheckpointException(previous is null
                    ? $"{path}: data bytes [0, {e.Begin}) belong to no tensor (the first tensor, '{JsonFile.Clean(e.Name)}', starts at {e.Begin}; offsets must start at 0)"
                    : $"{path}: data bytes [{covered}, {e.Begin}) belong to no tensor (gap between '{JsonFile.Clean(previous.Name)}' [{previous.Begin}, {previous.End}) and '{JsonFile.Clean(e.Name)}' [{e.Begin}, {e.End}))");
            covered = e.End;
            previous = e;
        }
        if (covered != dataLength)
            throw new CheckpointException(previous is null
                ? $"{path}: the header lists no tensors but the data section holds {dataLength} bytes"
                : $"{path}: data bytes [{covered}, {dataLength}) after the last tensor '{JsonFile.Clean(previous.Name)}' [{previous.Begin}, {previous.End}) belong to no tensor (the data section is {dataLength} bytes)");
        return (entries, metadata);
    }

    static SafetensorsEntry ParseEntry(string path, string name, JsonElement v, long dataLength)
    {
        string where = $"{path}: tensor '{JsonFile.Clean(name)}'";
        if (v.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{where}: entry must be an object, got {JsonFile.Show(v)}");
        if (!v.TryGetProperty("dtype", out var dt)) throw new CheckpointException($"{where}: missing 'dtype'");
        if (dt.ValueKind != JsonValueKind.String) throw new CheckpointException($"{where}: 'dtype' must be a string, got {JsonFile.Show(dt)}");
        var dtype = dt.GetString()!;
        if (!Supported.ContainsKey(dtype))
            throw new CheckpointException(KnownButUnsupported.Contains(dtype)
                ? $"{where}: dtype {dtype} is not supported (supported: F32, F16, BF16)"
                : $"{where}: unknown dtype '{JsonFile.Clean(dtype)}'");
        if (!v.TryGetProperty("shape", out var sh)) throw new CheckpointException($"{where}: missing 'shape'");
        if (sh.ValueKind != JsonValueKind.Array) throw new CheckpointException($"{where}: 'shape' must be an array, got {JsonFile.Show(sh)}");
        var shape = new long[sh.GetArrayLength()];
        int i = 0;
        long elements = 1;
        bool overflow = false;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var n) || n < 0) throw new CheckpointException($"{where}: shape {JsonFile.Show(sh)} must hold non-negative integers");
            shape[i++] = n;
            try { elements = checked(elements * n); } catch (OverflowException) { overflow = true; } // as the reference: overflow even before a 0
        }
        if (!v.TryGetProperty("data_offsets", out var off)) throw new CheckpointException($"{where}: missing 'data_offsets'");
        if (off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw new CheckpointException($"{where}: 'data_offsets' must be [begin, end], got {JsonFile.Show(off)}");
        if (off[0].ValueKind != JsonValueKind.Number || off[1].ValueKind != JsonValueKind.Number
            || !off[0].TryGetInt64(out var begin) || !off[1].TryGetInt64(out var end) || begin < 0 || end < begin)
            throw new CheckpointException($"{where}: data_offsets {JsonFile.Show(off)} are invalid (need two integers 0 <= begin <= end)");
        if (end > dataLength)
            throw new CheckpointException($"{where}: data_offsets [{begin}, {end}] lie outside the data section ({dataLength} bytes): truncated file?");
        long expected = 0;
        if (!overflow)
            try { expected = checked(elements * Supported[dtype].Size); }
            catch (OverflowException) { overflow = true; }
        if (overflow) throw new CheckpointException($"{where}: shape {JsonFile.Show(sh)} is too large");
        if (end - begin != expected)
            throw new CheckpointException($"{where}: data_offsets [{begin}, {end}] hold {end - begin} bytes but shape {JsonFile.Show(sh)} of {dtype} needs {expected}");
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    /// <summary>Reads one tensor into a new tensor of the given dtype on the given device.</summary>
    public Tensor Load(string name, ScalarType dtype, Device device)
    {
        if (!Entries.TryGetValue(name, out var e)) throw new CheckpointException($"{Path}: tensor '{name}' not found");
        var source = Supported[e.DType].Type;
        var cpu = empty(e.Shape, source, CPU);
        try
        {
            long length = e.End - e.Begin;
            if (length > 0)
            {
                using var view = _map!.CreateViewStream(_dataStart + e.Begin, length, MemoryMappedFileAccess.Read);
                var flat = cpu.view(-1);
                long elementSize = Supported[e.DType].Size;
                const long chunkElements = 1L << 28; // keep each span well under 2 GiB
                for (long start = 0; start < e.ElementCount; start += chunkElements)
                {
                    long count = Math.Min(chunkElements, e.ElementCount - start);
                    using var part = flat.narrow(0, start, count);
                    view.ReadExactly(part.bytes);
                }
            }
            if (source == dtype && device.type == DeviceType.CPU) return cpu;
            var result = cpu.to(dtype, device);
            cpu.Dispose();
            return result;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            cpu.Dispose();
            throw new CheckpointException($"{Path}: tensor '{name}': read failed ({ex.Message})");
        }
    }

    public void Dispose() => _map?.Dispose();
}
