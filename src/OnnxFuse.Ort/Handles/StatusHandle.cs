namespace OnnxFuse.Ort.Handles;

/// <summary>Owns an <c>OrtStatus</c> (an error) while its message is read. Released with <c>OrtApi::ReleaseStatus</c> on dispose.</summary>
sealed class StatusHandle : OrtHandle
{
    public StatusHandle(NativeMethods native) : base(native) { }

    public StatusHandle(NativeMethods native, nint existing) : base(native, existing) { }

    protected override unsafe bool ReleaseHandle()
    {
        Native.ReleaseStatus(handle);
        return true;
    }
}
