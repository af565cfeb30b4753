using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Ort;

/// <summary>
/// ONNX Runtime's native library could not be found or loaded. The message says where OnnxFuse looked and how to get
/// the library: run <c>scripts/fetch-onnxruntime.sh</c>, or set <c>ONNXFUSE_ORT_LIB</c> to a <c>libonnxruntime.so.1</c>.
/// </summary>
public sealed class OrtUnavailableException : OnnxFuseException
{
    public OrtUnavailableException() { }

    public OrtUnavailableException(string message) : base(message) { }

    public OrtUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
