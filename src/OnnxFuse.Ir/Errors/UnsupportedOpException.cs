namespace OnnxFuse.Ir.Errors;

/// <summary>An operator (or operator version) that this part of OnnxFuse does not handle.</summary>
public sealed class UnsupportedOpException : OnnxFuseException
{
    public UnsupportedOpException() { }

    public UnsupportedOpException(string message) : base(message) { }

    public UnsupportedOpException(string message, Exception innerException) : base(message, innerException) { }
}
