namespace OnnxFuse.Ort;

/// <summary>
/// ONNX Runtime's presence in this process. The native library is located (see <c>ONNXFUSE_ORT_LIB</c> and
/// <c>scripts/fetch-onnxruntime.sh</c>) and loaded on first use, then kept for the life of the process; a failure is
/// remembered, so every later call reports the same <see cref="OrtUnavailableException"/>.
/// </summary>
public static class OrtRuntime
{
    static readonly Lazy<OrtEnvironment> s_environment = new(
        () => OrtEnvironment.Create(OrtLibraryLocator.Load(
            Environment.GetEnvironmentVariable(OrtLibraryLocator.EnvironmentVariable), AppContext.BaseDirectory)),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when the library loads and its environment starts; never throws.</summary>
    public static bool IsAvailable
    {
        get
        {
            try
            {
                _ = s_environment.Value;
                return true;
            }
            catch (OnnxFuse.Ir.Errors.OnnxFuseException)
            {
                return false;
            }
        }
    }

    /// <summary>Why the library is unavailable (the exception's message), or null when it is available.</summary>
    public static string? UnavailableReason
    {
        get
        {
            try
            {
                _ = s_environment.Value;
                return null;
            }
            catch (OnnxFuse.Ir.Errors.OnnxFuseException e)
            {
                return e.Message;
            }
        }
    }

    /// <summary>The loaded library's version, for example <c>1.30.0</c>.</summary>
    /// <exception cref="OrtUnavailableException">The library cannot be loaded.</exception>
    public static string Version => Shared.Native.Version;

    /// <summary>The path (or bare name) the library was loaded from.</summary>
    /// <exception cref="OrtUnavailableException">The library cannot be loaded.</exception>
    public static string LibraryPath => Shared.Native.LibraryPath;

    /// <summary>The <c>OrtApi</c> version in use.</summary>
    /// <exception cref="OrtUnavailableException">The library cannot be loaded.</exception>
    public static int ApiVersion => (int)Shared.Native.ApiVersion;

    internal static OrtEnvironment Shared => s_environment.Value;
}
