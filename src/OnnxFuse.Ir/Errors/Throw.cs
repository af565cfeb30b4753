using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace OnnxFuse.Ir.Errors;

/// <summary>Throw helpers: keep the throwing code out of hot callers and out of stack traces.</summary>
[StackTraceHidden]
public static class Throw
{
    [DoesNotReturn]
    public static void ModelLoad(string message, Exception? inner = null) =>
        throw (inner is null ? new ModelLoadException(message) : new ModelLoadException(message, inner));

    [DoesNotReturn]
    public static T ModelLoad<T>(string message, Exception? inner = null) =>
        throw (inner is null ? new ModelLoadException(message) : new ModelLoadException(message, inner));

    [DoesNotReturn]
    public static void ModelSave(string message, Exception? inner = null) =>
        throw (inner is null ? new ModelSaveException(message) : new ModelSaveException(message, inner));

    [DoesNotReturn]
    public static void ShapeMismatch(string message) => throw new ShapeMismatchException(message);

    [DoesNotReturn]
    public static T ShapeMismatch<T>(string message) => throw new ShapeMismatchException(message);

    [DoesNotReturn]
    public static void UnsupportedOp(string message) => throw new UnsupportedOpException(message);

    [DoesNotReturn]
    public static T UnsupportedOp<T>(string message) => throw new UnsupportedOpException(message);

    [DoesNotReturn]
    public static void InvalidGraph(string message) => throw new GraphValidationException(message);

    [DoesNotReturn]
    public static T InvalidGraph<T>(string message) => throw new GraphValidationException(message);

    [DoesNotReturn]
    public static void InvalidGraph(IReadOnlyList<string> problems) =>
        throw new GraphValidationException(problems.Count == 1
            ? problems[0]
            : $"{problems[0]} (and {problems.Count - 1} more problem{(problems.Count == 2 ? "" : "s")})")
        { Problems = problems };
}
