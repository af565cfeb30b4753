namespace OnnxFuse.Ort.Handles;

/// <summary>Owns an <c>OrtTensorTypeAndShapeInfo</c> obtained from a value. Released with <c>OrtApi::ReleaseTensorTypeAndShapeInfo</c> on dispose.</summary>
sealed class TensorTypeAndShapeInfoHandle : OrtHandle
{
    public TensorTypeAndShapeInfoHandle(NativeMethods native) : base(native) { }

    public TensorTypeAndShapeInfoHandle(NativeMethods native, nint existing) : base(native, existing) { }

    protected override unsafe bool ReleaseHandle()
    {
        Native.ReleaseTensorTypeAndShapeInfo(handle);
        return true;
    }
}
