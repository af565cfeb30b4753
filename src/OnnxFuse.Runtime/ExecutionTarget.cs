namespace OnnxFuse.Runtime;

/// <summary>Where a model runs.</summary>
public enum ExecutionTarget
{
    /// <summary>OnnxFuse's managed engine (pure C#, SIMD): the embedded default, no native library.</summary>
    Managed,

    /// <summary>ONNX Runtime's native library through its C API.</summary>
    OnnxRuntime,
}
