namespace OnnxFuse.Ir.Errors;

/// <summary>A model could not be written; no partial file is left behind.</summary>
public sealed class ModelSaveException : OnnxFuseException
{
    public ModelSaveException() { }

    public ModelSaveException(string message) : base(message) { }

    public ModelSaveException(string message, Exception innerException) : base(message, innerException) { }
}
