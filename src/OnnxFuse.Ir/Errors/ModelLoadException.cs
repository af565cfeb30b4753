namespace OnnxFuse.Ir.Errors;

/// <summary>A model, tensor or external-data file could not be read: missing, corrupt or truncated.</summary>
public sealed class ModelLoadException : OnnxFuseException
{
    public ModelLoadException() { }

    public ModelLoadException(string message) : base(message) { }

    public ModelLoadException(string message, Exception innerException) : base(message, innerException) { }
}
