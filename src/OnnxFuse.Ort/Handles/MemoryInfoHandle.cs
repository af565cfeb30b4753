namespace OnnxFuse.Ort.Handles;

/// <summary>Owns an <c>OrtMemoryInfo</c> describing where tensor buffers live (CPU here). Released with <c>OrtApi::ReleaseMemoryInfo</c> on dispose.</summary>
sealed class MemoryInfoHandle : OrtHandle
{
    public MemoryInfoHandle(NativeMethods native) : base(native) { }

    public MemoryInfoHandle(NativeMethods native, nint existing) : base(native, existing) { }

    protected override unsafe bool ReleaseHandle()
    {
        Native.ReleaseMemoryInfo(handle);
        return true;
    }
}
