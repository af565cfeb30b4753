using OnnxFuse.Ort.Handles;

namespace OnnxFuse.Ort;

/// <summary>
/// The process-wide ONNX Runtime state every session shares: the bound API table, one <c>OrtEnv</c> (logging at
/// error level so ORT's warnings stay off the console), a CPU <c>OrtMemoryInfo</c> for caller-owned buffers, and ORT's
/// default allocator (owned by ORT, never freed). Lives until the process ends: the env must outlive every session.
/// </summary>
sealed unsafe class OrtEnvironment
{
    OrtEnvironment(NativeMethods native, EnvHandle env, MemoryInfoHandle cpuMemory, nint allocator)
    {
        Native = native;
        Env = env;
        CpuMemory = cpuMemory;
        DefaultAllocator = allocator;
    }

    public NativeMethods Native { get; }

    public EnvHandle Env { get; }

    public MemoryInfoHandle CpuMemory { get; }

    /// <summary>ORT's default CPU allocator; names and string tensors it returns are freed through it.</summary>
    public nint DefaultAllocator { get; }

    public static OrtEnvironment Create(NativeMethods native)
    {
        var env = new EnvHandle(native);
        var cpuMemory = new MemoryInfoHandle(native);
        nint pointer;
        fixed (byte* logId = "onnxfuse"u8)
            native.Check(native.CreateEnv(NativeMethods.OrtLoggingLevelError, logId, &pointer), "to create its environment");
        env.Own(pointer);
        native.Check(native.CreateCpuMemoryInfo(NativeMethods.OrtDeviceAllocator, NativeMethods.OrtMemTypeDefault, &pointer),
            "to describe CPU memory");
        cpuMemory.Own(pointer);
        native.Check(native.GetAllocatorWithDefaultOptions(&pointer), "to get its default allocator");
        return new OrtEnvironment(native, env, cpuMemory, pointer);
    }
}
