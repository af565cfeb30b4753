using Google.Protobuf;
using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Onnx.Conversion;
using OnnxFuse.Onnx.Protos;

namespace OnnxFuse.Onnx;

/// <summary>
/// Reads and writes ONNX model files (<c>.onnx</c>, protobuf <c>ModelProto</c>) as <see cref="Model"/>s.
/// Loading keeps weights without extra copies: the file is read once and each large <c>raw_data</c> stays a slice of that buffer, the
/// <see cref="Ir.Tensors.TensorData"/>'s memory. External data is read into memory, so the loaded model holds no
/// open files. Saving is atomic: a temporary sibling file is renamed over the target once complete.
/// Every failure is one <see cref="ModelLoadException"/> / <see cref="ModelSaveException"/> line naming the file.
/// </summary>
public static class ModelFile
{
    /// <summary>Loads a model; external data is looked up relative to the file's folder.</summary>
    public static Model Load(string path)
    {
        CheckReadable(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Throw.ModelLoad<Model>($"{path}: cannot open ({ex.Message})", ex);
        }
        using (stream)
            return Parse(stream, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>
    /// Parses a model from <paramref name="stream"/> (read to its end, not disposed). <paramref name="sourceName"/> is
    /// what error messages call it; external data is resolved against <paramref name="externalDataDirectory"/>, and a
    /// model that needs external data fails to load when that is null.
    /// </summary>
    public static Model Parse(Stream stream, string sourceName, string? externalDataDirectory)
    {
        using var context = new LoadContext(sourceName, externalDataDirectory);
        ModelProto proto;
        try
        {
            var bytes = ReadToEnd(stream);
            if (bytes.Length == 0)
                context.Fail("file is empty");
            if (RawDataSplitter.TrySplit(bytes) is var (remainder, splitter))
            {
                proto = ModelProto.Parser.ParseFrom(remainder);
                splitter.Restore(proto);
            }
            else
            {
                proto = ModelProto.Parser.ParseFrom(bytes);
            }
        }
        catch (InvalidProtocolBufferException ex)
        {
            return context.FailParse<Model>("model", ex);
        }
        catch (IOException ex)
        {
            return context.Fail<Model>($"read failed ({ex.Message})", ex);
        }
        try
        {
            var model = OnnxImporter.Import(proto, context);
            // ONNX requires topological order, and some exporters break it. Sorting here (stable: a sorted file keeps
            // its order) hands every later stage an ordered DAG and turns a cycle into a load error.
            Toposort.Sort(model.Graph);
            return model;
        }
        catch (GraphValidationException ex)
        {
            return context.Fail<Model>(ex.Message, ex);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // The IR's own consistency checks, reached by a malformed file the importer did not anticipate.
            return context.Fail<Model>(ex.Message, ex);
        }
    }

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> atomically. Depending on
    /// <see cref="ModelSaveOptions.ExternalData"/>, large tensors go to one data file beside the model (also written
    /// atomically); models whose tensors would pass protobuf's 2 GiB limit get external data automatically.
    /// </summary>
    public static void Save(Model model, string path, ModelSaveOptions? options = null)
    {
        options ??= new ModelSaveOptions();
        var fullPath = AtomicFile.CheckTarget(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        var tensorBytes = OnnxExporter.EstimateTensorBytes(model);
        var external = options.ExternalData switch
        {
            ExternalDataPolicy.Always => true,
            ExternalDataPolicy.Never => false,
            _ => tensorBytes > options.AutoThresholdBytes,
        };
        if (!external && tensorBytes > OnnxExporter.ProtobufLimit)
            Throw.ModelSave($"{path}: the model holds {tensorBytes} bytes of tensors, over protobuf's 2 GiB limit; save it with external data");
        var dataFileName = options.ExternalDataFileName ?? Path.GetFileName(fullPath) + ".data";
        if (dataFileName.Length == 0 || dataFileName.IndexOfAny(['/', '\\']) >= 0 || dataFileName is "." or "..")
            Throw.ModelSave($"{path}: external data file name '{dataFileName}' must be a plain file name in the model's folder");
        var dataPath = Path.Combine(folder, dataFileName);
        var suffix = AtomicFile.NewSuffix();
        var modelTemporary = AtomicFile.TemporaryPathFor(fullPath, suffix);
        var dataTemporary = AtomicFile.TemporaryPathFor(dataPath, suffix);
        var dataWriter = external ? new ExternalDataWriter(dataTemporary, dataFileName, options.SizeThresholdBytes) : null;
        try
        {
            var proto = OnnxExporter.Export(model, dataWriter);
            dataWriter?.Complete();
            using (var stream = AtomicFile.Create(modelTemporary))
            {
                proto.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            if (dataWriter is { HasData: true })
                File.Move(dataTemporary, dataPath, overwrite: true);
            File.Move(modelTemporary, fullPath, overwrite: true);
        }
        catch (Exception ex)
        {
            dataWriter?.Dispose();
            AtomicFile.TryDelete(modelTemporary);
            AtomicFile.TryDelete(dataTemporary);
            if (ex is OnnxFuseException)
                throw;
            Throw.ModelSave($"{path}: could not save ({ex.Message})", ex);
        }
    }

    /// <summary>
    /// The model as one protobuf message with every weight inline. Throws <see cref="ModelSaveException"/> when the
    /// tensors pass protobuf's 2 GiB limit (use <see cref="Save"/>, which switches to external data).
    /// </summary>
    public static byte[] Serialize(Model model)
    {
        var tensorBytes = OnnxExporter.EstimateTensorBytes(model);
        if (tensorBytes > OnnxExporter.ProtobufLimit)
            Throw.ModelSave($"model '{model.Graph.Name}' holds {tensorBytes} bytes of tensors, over protobuf's 2 GiB limit for one message; save it to a file with external data instead");
        var proto = OnnxExporter.Export(model, externalData: null);
        try
        {
            return proto.ToByteArray();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new ModelSaveException($"model '{model.Graph.Name}' could not be serialized ({ex.Message})", ex);
        }
    }

    /// <summary>The rest of the stream in one array (exactly sized when the stream knows its length).</summary>
    static byte[] ReadToEnd(Stream stream)
    {
        if (stream.CanSeek)
        {
            var remaining = stream.Length - stream.Position;
            if (remaining > Array.MaxLength)
                throw new IOException($"{remaining} bytes is more than one protobuf message can hold (2 GiB)");
            var bytes = GC.AllocateUninitializedArray<byte>((int)remaining);
            stream.ReadExactly(bytes);
            return bytes;
        }
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Throws a one-line <see cref="ModelLoadException"/> when <paramref name="path"/> is missing, a folder, or unreadable.</summary>
    public static void CheckReadable(string path)
    {
        if (Directory.Exists(path))
            Throw.ModelLoad($"{path}: is a folder, not a file");
        if (!File.Exists(path))
            Throw.ModelLoad($"{path}: file not found");
    }
}
