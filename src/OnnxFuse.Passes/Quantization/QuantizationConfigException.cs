using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Passes.Quantization;

/// <summary>A quantization config that cannot be read or applied; the message names the file, line, entry and key.</summary>
public sealed class QuantizationConfigException : OnnxFuseException
{
    public QuantizationConfigException() { }

    public QuantizationConfigException(string message) : base(message) { }

    public QuantizationConfigException(string message, Exception innerException) : base(message, innerException) { }
}
