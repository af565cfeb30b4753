using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Passes.Rewriting;

/// <summary>An optimizer option that cannot be honoured: a pass name that no pass has, or an opset the model cannot be raised to.</summary>
public sealed class PassSelectionException : OnnxFuseException
{
    public PassSelectionException() { }

    public PassSelectionException(string message) : base(message) { }

    public PassSelectionException(string message, Exception innerException) : base(message, innerException) { }
}
