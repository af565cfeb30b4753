namespace OnnxFuse.Ir.Errors;

/// <summary>Shapes or element types that an operator or a fusion requires to agree do not.</summary>
public sealed class ShapeMismatchException : OnnxFuseException
{
    public ShapeMismatchException() { }

    public ShapeMismatchException(string message) : base(message) { }

    public ShapeMismatchException(string message, Exception innerException) : base(message, innerException) { }
}
