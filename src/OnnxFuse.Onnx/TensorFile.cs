using Google.Protobuf;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx.Conversion;
using OnnxFuse.Onnx.Protos;

namespace OnnxFuse.Onnx;

/// <summary>
/// Reads and writes single ONNX <c>TensorProto</c> files (<c>.pb</c>), the layout of ONNX backend test data
/// (<c>test_data_set_N/input_K.pb</c>). The tensor's file name comes back as <see cref="TensorData.Name"/>.
/// </summary>
public static class TensorFile
{
    /// <summary>Loads a tensor; external data, if any, is looked up relative to the file's folder.</summary>
    public static TensorData Load(string path)
    {
        ModelFile.CheckReadable(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Throw.ModelLoad<TensorData>($"{path}: cannot read ({ex.Message})", ex);
        }
        return Parse(bytes, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Parses a serialized <c>TensorProto</c>; <paramref name="sourceName"/> is what error messages call it.</summary>
    public static TensorData Parse(ReadOnlySpan<byte> bytes, string sourceName) => Parse(bytes, sourceName, externalDataDirectory: null);

    /// <summary>Writes <paramref name="tensor"/> as one <c>TensorProto</c> with <c>raw_data</c>, atomically.</summary>
    public static void Save(TensorData tensor, string path) =>
        AtomicFile.Write(path, stream => ToProto(tensor).WriteTo(stream));

    /// <summary>The bytes <see cref="Save"/> writes.</summary>
    internal static byte[] Serialize(TensorData tensor) => ToProto(tensor).ToByteArray();

    static TensorProto ToProto(TensorData tensor) => TensorConverter.ToProto(tensor, tensor.Name ?? "", externalData: null);

    static TensorData Parse(ReadOnlySpan<byte> bytes, string sourceName, string? externalDataDirectory)
    {
        using var context = new LoadContext(sourceName, externalDataDirectory);
        if (bytes.IsEmpty)
            context.Fail("file is empty");
        TensorProto proto;
        try
        {
            proto = TensorProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return context.FailParse<TensorData>("tensor", ex);
        }
        return TensorConverter.ToIr(proto, context, proto.Name.Length > 0 ? $"tensor '{proto.Name}'" : "tensor");
    }
}
