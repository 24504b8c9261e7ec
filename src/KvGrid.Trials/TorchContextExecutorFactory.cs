using KvGrid.Contracts;
using KvGrid.Engine;

namespace KvGrid.Trials;

/// <summary>Loads a model once per shard and wraps it in a <see cref="ContextRunner"/>.</summary>
public sealed class TorchContextExecutorFactory(string siloName, int torchThreads = 0) : IContextExecutorFactory
{
    /// <param name="model">The sweep's model: dtype "auto" (or empty) means the device's default.</param>
    /// <param name="device">The shard's device; the sweep's device is only a kind ("cpu", "cuda", "any").</param>
    public IContextExecutor Create(ModelRef model, string device)
    {
        // Several silos on one machine would oversubscribe the cores with libtorch's default of one thread per core.
        if (torchThreads > 0) TorchSharp.torch.set_num_threads(torchThreads);
        var dev = TorchRuntime.ParseDevice(string.IsNullOrEmpty(device) || device == "any" ? "cpu" : device);
        var dtype = TorchRuntime.ParseDType(string.IsNullOrEmpty(model.DType) || model.DType == "auto" ? null : model.DType, dev);
        return new ContextRunner(LanguageModel.Load(model.Path, dev, dtype), siloName, dev.ToString());
    }
}
