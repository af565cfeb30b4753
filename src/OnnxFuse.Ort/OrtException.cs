using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Ort;

/// <summary>
/// ONNX Runtime refused a model or a run: invalid model bytes, an unknown input name, a shape it rejects.
/// The message carries ORT's own text and names the model.
/// </summary>
public sealed class OrtException : OnnxFuseException
{
    public OrtException() { }

    public OrtException(string message) : base(message) { }

    public OrtException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The model the failing call concerned (its path, or the name given for in-memory bytes).</summary>
    public string? ModelName { get; init; }

    /// <summary>ORT's error category; <see cref="OrtErrorCode.Fail"/> for errors OnnxFuse detects before calling ORT.</summary>
    public OrtErrorCode ErrorCode { get; init; } = OrtErrorCode.Fail;
}
