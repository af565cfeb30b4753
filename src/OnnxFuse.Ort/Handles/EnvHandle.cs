namespace OnnxFuse.Ort.Handles;

/// <summary>Owns an <c>OrtEnv</c>: logging and global state; must outlive every session created in it. Released with <c>OrtApi::ReleaseEnv</c> on dispose.</summary>
sealed class EnvHandle : OrtHandle
{
    public EnvHandle(NativeMethods native) : base(native) { }

    public EnvHandle(NativeMethods native, nint existing) : base(native, existing) { }

    protected override unsafe bool ReleaseHandle()
    {
        Native.ReleaseEnv(handle);
        return true;
    }
}
