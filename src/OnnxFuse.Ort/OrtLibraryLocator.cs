namespace OnnxFuse.Ort;

/// <summary>
/// Finds ONNX Runtime's native library, in this order:
/// <list type="number">
/// <item>the path in <c>ONNXFUSE_ORT_LIB</c>, when set (it must exist: a wrong setting is an error, not a hint);</item>
/// <item><c>.cache/onnxruntime/1.30.0/libonnxruntime.so.1</c> in the base directory or any folder above it
/// (where <c>scripts/fetch-onnxruntime.sh</c> puts it in a clone);</item>
/// <item>the bare name <c>libonnxruntime.so.1</c>, for the system loader's search path.</item>
/// </list>
/// </summary>
static class OrtLibraryLocator
{
    public const string EnvironmentVariable = "ONNXFUSE_ORT_LIB";
    public const string PinnedVersion = "1.30.0";
    public const string LibraryFileName = "libonnxruntime.so.1";

    /// <summary>Where the fetch script puts the library, relative to the repository root.</summary>
    public static string CacheRelativePath { get; } = Path.Combine(".cache", "onnxruntime", PinnedVersion, LibraryFileName);

    /// <summary>Locates and loads the library, taking the settings as arguments so tests need no global state.</summary>
    /// <param name="environmentOverride">The value of <c>ONNXFUSE_ORT_LIB</c> (null or empty when unset).</param>
    /// <param name="baseDirectory">Where the upward search for <c>.cache/</c> starts, normally <see cref="AppContext.BaseDirectory"/>.</param>
    /// <exception cref="OrtUnavailableException">No candidate loads.</exception>
    public static NativeMethods Load(string? environmentOverride, string baseDirectory)
    {
        if (!string.IsNullOrEmpty(environmentOverride))
        {
            if (!File.Exists(environmentOverride))
                OrtThrow.Unavailable($"{EnvironmentVariable} is set to '{environmentOverride}', which does not exist");
            return NativeMethods.Load(Path.GetFullPath(environmentOverride));
        }

        if (FindInCache(baseDirectory) is { } cached)
            return NativeMethods.Load(cached);

        try
        {
            return NativeMethods.Load(LibraryFileName);
        }
        catch (OrtUnavailableException)
        {
            return OrtThrow.Unavailable<NativeMethods>(
                $"ONNX Runtime's native library was not found: {EnvironmentVariable} is unset, no {CacheRelativePath} lies in " +
                $"'{baseDirectory}' or above it, and the system loader cannot find {LibraryFileName}");
        }
    }

    /// <summary>The cached library in <paramref name="baseDirectory"/> or the nearest folder above it that has one.</summary>
    public static string? FindInCache(string baseDirectory)
    {
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, CacheRelativePath);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
