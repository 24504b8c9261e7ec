namespace KvGrid.Engine;

public static class BuildInfo
{
#if TORCH_CUDA
    public const string TorchBackend = "cuda";
#else
    public const string TorchBackend = "cpu";
#endif
}
