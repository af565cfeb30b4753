using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Runtime;

/// <summary>The command-line names of <see cref="ExecutionTarget"/>s: <c>managed</c> and <c>onnxruntime</c>.</summary>
public static class ExecutionTargets
{
    public static string Name(this ExecutionTarget target) => target switch
    {
        ExecutionTarget.Managed => "managed",
        ExecutionTarget.OnnxRuntime => "onnxruntime",
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    public static ExecutionTarget Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "managed" => ExecutionTarget.Managed,
        "onnxruntime" or "ort" => ExecutionTarget.OnnxRuntime,
        _ => throw new OnnxFuseException($"unknown target '{name}' (expected managed or onnxruntime)"),
    };
}
