namespace OnnxFuse.Ort.Handles;

/// <summary>Owns an <c>OrtSession</c>: the loaded, optimized model and its thread pools. Released with <c>OrtApi::ReleaseSession</c> on dispose.</summary>
sealed class SessionHandle : OrtHandle
{
    public SessionHandle(NativeMethods native) : base(native) { }

    public SessionHandle(NativeMethods native, nint existing) : base(native, existing) { }

    protected override unsafe bool ReleaseHandle()
    {
        Native.ReleaseSession(handle);
        return true;
    }
}
