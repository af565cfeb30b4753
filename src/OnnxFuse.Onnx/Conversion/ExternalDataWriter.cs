namespace OnnxFuse.Onnx.Conversion;

/// <summary>
/// Appends tensor contents to one external-data file while a model is exported. Each tensor starts at a multiple of
/// <see cref="Alignment"/> so the file can be memory-mapped tensor by tensor. The file is created on first use at
/// <paramref name="temporaryPath"/>; the caller renames it into place (or deletes it) after the model is written.
/// </summary>
sealed class ExternalDataWriter(string temporaryPath, string location, long thresholdBytes) : IDisposable
{
    public const int Alignment = 4096;

    FileStream? _stream;

    public string TemporaryPath { get; } = temporaryPath;

    /// <summary>True once some tensor went to the data file.</summary>
    public bool HasData => _stream is not null;

    /// <summary>Whether <paramref name="tensor"/> goes to the data file: non-string contents of at least the threshold size.</summary>
    public bool Accepts(Ir.Tensors.TensorData tensor) =>
        tensor.Strings is null && tensor.Bytes.Length > 0 && tensor.Bytes.Length >= thresholdBytes;

    public (string Location, long Offset, long Length) Append(ReadOnlyMemory<byte> bytes)
    {
        _stream ??= new FileStream(TemporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        var offset = (_stream.Position + Alignment - 1) / Alignment * Alignment;
        Span<byte> zeros = stackalloc byte[256];
        zeros.Clear();
        for (var padding = offset - _stream.Position; padding > 0; padding -= Math.Min(padding, zeros.Length))
            _stream.Write(zeros[..(int)Math.Min(padding, zeros.Length)]);
        _stream.Write(bytes.Span);
        return (location, offset, bytes.Length);
    }

    /// <summary>Flushes the data file to disk and closes it.</summary>
    public void Complete()
    {
        _stream?.Flush(flushToDisk: true);
        _stream?.Dispose();
    }

    public void Dispose() => _stream?.Dispose();
}
