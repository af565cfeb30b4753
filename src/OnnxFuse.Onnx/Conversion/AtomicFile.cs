using System.Security.Cryptography;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Onnx.Conversion;

/// <summary>
/// Writes a file through a temporary sibling (<c>name.tmp-xxxxxxxx</c>) that is renamed over the target only once
/// it is complete, so readers never see a partial file and a failure leaves nothing behind.
/// </summary>
public static class AtomicFile
{
    internal static string TemporaryPathFor(string fullPath, string suffix) => $"{fullPath}.tmp-{suffix}";

    internal static string NewSuffix() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>The full path of <paramref name="path"/>, after checking that its folder exists and it is not a folder.</summary>
    internal static string CheckTarget(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath);
        if (folder is null || !Directory.Exists(folder))
            Throw.ModelSave($"{path}: cannot save, folder '{folder}' does not exist");
        if (Directory.Exists(fullPath))
            Throw.ModelSave($"{path}: cannot save, a folder of that name exists");
        return fullPath;
    }

    internal static FileStream Create(string temporaryPath) =>
        new(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);

    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>; any failure is a save error naming the file, and leaves no file.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var fullPath = CheckTarget(path);
        var temporaryPath = TemporaryPathFor(fullPath, NewSuffix());
        try
        {
            using (var stream = Create(temporaryPath))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporaryPath, fullPath, overwrite: true);
        }
        catch (Exception ex)
        {
            TryDelete(temporaryPath);
            if (ex is OnnxFuseException)
                throw;
            Throw.ModelSave($"{path}: could not save ({ex.Message})", ex);
        }
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
