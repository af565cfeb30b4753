using System.Diagnostics.CodeAnalysis;
using Microsoft.Win32.SafeHandles;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Onnx.Conversion;

/// <summary>
/// State of one load: the name errors cite, where external data lives, and the external-data files opened so far
/// (disposing the context closes them).
/// </summary>
sealed class LoadContext(string sourceName, string? externalDataDirectory) : IDisposable
{
    readonly Dictionary<string, SafeFileHandle> _openFiles = new(StringComparer.Ordinal);

    public string SourceName { get; } = sourceName;

    public string? ExternalDataDirectory { get; } = externalDataDirectory;

    /// <summary>Throws a <see cref="ModelLoadException"/> whose one line names the source and the problem.</summary>
    [DoesNotReturn]
    public void Fail(string problem, Exception? inner = null) => Throw.ModelLoad($"{SourceName}: {problem}", inner);

    [DoesNotReturn]
    public T Fail<T>(string problem, Exception? inner = null) => Throw.ModelLoad<T>($"{SourceName}: {problem}", inner);

    /// <summary>Reports a protobuf parse failure as "not an ONNX {what} (protobuf parse failed: …)".</summary>
    [DoesNotReturn]
    public T FailParse<T>(string what, Exception inner)
    {
        var reason = inner.Message.Contains("ended unexpectedly", StringComparison.Ordinal) || inner.Message.Contains("truncated", StringComparison.Ordinal)
            ? "truncated message"
            : inner.Message.Split(". ", 2)[0].TrimEnd('.');
        return Fail<T>($"not an ONNX {what} (protobuf parse failed: {reason})", inner);
    }

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="offset"/> of <paramref name="location"/> into a new array.</summary>
    public byte[] ReadExternal(string tensorName, string location, long offset, long length)
    {
        if (ExternalDataDirectory is null)
            Fail($"tensor '{tensorName}' keeps its data in '{location}', but no external-data folder was given");
        if (string.IsNullOrEmpty(location))
            Fail($"tensor '{tensorName}' is marked EXTERNAL but names no location");
        if (Path.IsPathRooted(location))
            Fail($"tensor '{tensorName}' names external data by absolute path '{location}'; only paths relative to the model's folder are allowed");
        var folder = Path.GetFullPath(ExternalDataDirectory);
        var fullPath = Path.GetFullPath(Path.Combine(folder, location));
        if (!fullPath.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            Fail($"tensor '{tensorName}' names external data '{location}' outside the model's folder");
        if (length > Array.MaxLength)
            Fail($"tensor '{tensorName}' has {length} bytes of external data, more than one buffer can hold");
        var handle = Open(tensorName, fullPath);
        var fileLength = RandomAccess.GetLength(handle);
        if (offset < 0 || offset + length > fileLength)
            Fail($"tensor '{tensorName}' reads bytes {offset}..{offset + length} of '{fullPath}', which has only {fileLength}");
        var buffer = GC.AllocateUninitializedArray<byte>((int)length);
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(filled), offset + filled);
            if (read == 0)
                Fail($"tensor '{tensorName}': '{fullPath}' ended early");
            filled += read;
        }
        return buffer;
    }

    SafeFileHandle Open(string tensorName, string fullPath)
    {
        if (_openFiles.TryGetValue(fullPath, out var handle))
            return handle;
        if (!File.Exists(fullPath))
            Fail($"tensor '{tensorName}' keeps its data in '{fullPath}', which does not exist");
        try
        {
            handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail<SafeFileHandle>($"tensor '{tensorName}': cannot open external data '{fullPath}' ({ex.Message})", ex);
        }
        _openFiles.Add(fullPath, handle);
        return handle;
    }

    public void Dispose()
    {
        foreach (var handle in _openFiles.Values)
            handle.Dispose();
        _openFiles.Clear();
    }
}
