namespace OnnxFuse.Ort.Handles;

/// <summary>Owns an <c>OrtSessionOptions</c>; a session copies what it needs, so this may be released once the session exists. Released with <c>OrtApi::ReleaseSessionOptions</c> on dispose.</summary>
sealed class SessionOptionsHandle : OrtHandle
{
    public SessionOptionsHandle(NativeMethods native) : base(native) { }

    public SessionOptionsHandle(NativeMethods native, nint existing) : base(native, existing) { }

    protected override unsafe bool ReleaseHandle()
    {
        Native.ReleaseSessionOptions(handle);
        return true;
    }
}
