namespace OnnxFuse.Ir.Errors;

/// <summary>
/// Base of every error OnnxFuse reports to a user: bad input, unsupported features, budgets.
/// The message is one line that names the file, node or value at fault; the CLI prints it without a trace.
/// </summary>
public class OnnxFuseException : Exception
{
    public OnnxFuseException() { }

    public OnnxFuseException(string message) : base(message) { }

    public OnnxFuseException(string message, Exception innerException) : base(message, innerException) { }
}
