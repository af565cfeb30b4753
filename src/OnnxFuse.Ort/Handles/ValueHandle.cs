namespace OnnxFuse.Ort.Handles;

/// <summary>Owns an <c>OrtValue</c>. Releasing it never frees a caller's buffer the value was created over; keep that buffer pinned while the value lives. Released with <c>OrtApi::ReleaseValue</c> on dispose.</summary>
sealed class ValueHandle : OrtHandle
{
    public ValueHandle(NativeMethods native) : base(native) { }

    public ValueHandle(NativeMethods native, nint existing) : base(native, existing) { }

    protected override unsafe bool ReleaseHandle()
    {
        Native.ReleaseValue(handle);
        return true;
    }
}
