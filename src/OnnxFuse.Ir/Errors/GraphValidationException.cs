namespace OnnxFuse.Ir.Errors;

/// <summary>A graph breaks ONNX's structural rules (cycle, dangling input, duplicate name…).</summary>
public sealed class GraphValidationException : OnnxFuseException
{
    public GraphValidationException() { }

    public GraphValidationException(string message) : base(message) { }

    public GraphValidationException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Every problem found, one line each; <see cref="Exception.Message"/> holds the first and a count.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
