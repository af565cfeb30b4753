using System.Runtime.InteropServices;

namespace OnnxFuse.Ort.Handles;

/// <summary>
/// Base of the SafeHandles over ONNX Runtime objects: owns one native pointer and releases it through the matching
/// <c>OrtApi::ReleaseXxx</c> exactly once, on <see cref="SafeHandle.Dispose()"/> or, failing that, by the finalizer.
/// A handle starts empty; the creating call's out-pointer is stored with <see cref="Own"/>, so a failure between
/// allocation and creation cannot leak.
/// </summary>
abstract class OrtHandle : SafeHandle
{
    protected OrtHandle(NativeMethods native) : base(0, ownsHandle: true) => Native = native;

    protected OrtHandle(NativeMethods native, nint existing) : this(native) => SetHandle(existing);

    protected NativeMethods Native { get; }

    public override bool IsInvalid => handle == 0;

    /// <summary>The native pointer, for passing to API calls while this handle is known to be alive.</summary>
    public nint Pointer => handle;

    /// <summary>Takes ownership of a pointer an API call just returned.</summary>
    public void Own(nint value)
    {
        if (!IsInvalid)
            throw new InvalidOperationException($"{GetType().Name} already owns a native object");
        SetHandle(value);
    }
}
