using KvGrid.Engine;
using KvGrid.Grid;

namespace KvGrid.Benchmarks.Trials;

/// <summary>Loads a model once per shard and wraps it in a <see cref="ContextRunner"/>.</summary>
public sealed class TorchContextExecutorFactory(string siloName) : IContextExecutorFactory
{
    public IContextExecutor Create(ModelRef model, string device)
    {
        var dev = TorchRuntime.ParseDevice(string.IsNullOrEmpty(device) ? model.Device : device);
        var dtype = TorchRuntime.ParseDType(string.IsNullOrEmpty(model.DType) ? null : model.DType, dev);
        return new ContextRunner(LanguageModel.Load(model.Path, dev, dtype), siloName, dev.ToString());
    }
}
