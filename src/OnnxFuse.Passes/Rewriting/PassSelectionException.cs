using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Passes.Rewriting;

/// <summary>A pass name given to <c>--patterns</c> or <c>--disable</c> that no pass has.</summary>
public sealed class PassSelectionException : OnnxFuseException
{
    public PassSelectionException() { }

    public PassSelectionException(string message) : base(message) { }

    public PassSelectionException(string message, Exception innerException) : base(message, innerException) { }
}
