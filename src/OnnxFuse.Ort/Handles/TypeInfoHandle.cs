namespace OnnxFuse.Ort.Handles;

/// <summary>Owns an <c>OrtTypeInfo</c>; tensor info cast from it lives only as long as this handle. Released with <c>OrtApi::ReleaseTypeInfo</c> on dispose.</summary>
sealed class TypeInfoHandle : OrtHandle
{
    public TypeInfoHandle(NativeMethods native) : base(native) { }

    public TypeInfoHandle(NativeMethods native, nint existing) : base(native, existing) { }

    protected override unsafe bool ReleaseHandle()
    {
        Native.ReleaseTypeInfo(handle);
        return true;
    }
}
