using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace OnnxFuse.Ort;

/// <summary>Throw helpers for this project's errors: keep throwing code out of hot callers and out of stack traces.</summary>
[StackTraceHidden]
static class OrtThrow
{
    /// <summary>How to get the library; appended to every <see cref="OrtUnavailableException"/>.</summary>
    public const string FetchHint =
        "Run scripts/fetch-onnxruntime.sh (it puts the library in .cache/onnxruntime/" + OrtLibraryLocator.PinnedVersion +
        "/), or set " + OrtLibraryLocator.EnvironmentVariable + " to the path of a libonnxruntime.so.1.";

    [DoesNotReturn]
    public static void Unavailable(string message) => throw new OrtUnavailableException($"{message}. {FetchHint}");

    [DoesNotReturn]
    public static T Unavailable<T>(string message) => throw new OrtUnavailableException($"{message}. {FetchHint}");

    [DoesNotReturn]
    public static void Ort(string message, string? modelName, OrtErrorCode code = OrtErrorCode.Fail) =>
        throw new OrtException(modelName is null ? message : $"{message} (model '{modelName}')")
        {
            ModelName = modelName,
            ErrorCode = code,
        };
}
