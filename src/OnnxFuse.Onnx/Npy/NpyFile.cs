using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx.Conversion;

namespace OnnxFuse.Onnx.Npy;

/// <summary>
/// numpy's <c>.npy</c> format (versions 1–3): a magic string, a Python-literal header with <c>descr</c>,
/// <c>fortran_order</c> and <c>shape</c>, then the C-order array bytes. Little-endian numeric and bool dtypes only.
/// </summary>
public static partial class NpyFile
{
    static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static TensorData Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Throw.ModelLoad<TensorData>($"{path}: cannot read .npy file ({e.Message})", e);
        }
        return Parse(bytes, Path.GetFileName(path));
    }

    /// <summary>Parses an .npy image; <paramref name="sourceName"/> names it in errors.</summary>
    public static TensorData Parse(byte[] bytes, string sourceName)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            Throw.ModelLoad($"{sourceName}: not a .npy file (missing the \\x93NUMPY magic)");
        var major = bytes[6];
        int headerLength, headerStart;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
                headerStart = 10;
                break;
            case 2 or 3:
                if (bytes.Length < 12)
                    Throw.ModelLoad($"{sourceName}: truncated .npy header");
                headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
                headerStart = 12;
                break;
            default:
                return Throw.ModelLoad<TensorData>($"{sourceName}: unsupported .npy version {major}");
        }
        if (headerStart + headerLength > bytes.Length)
            Throw.ModelLoad($"{sourceName}: truncated .npy header");
        var header = Encoding.Latin1.GetString(bytes, headerStart, headerLength);

        var descr = HeaderField(header, "descr", sourceName);
        var fortran = HeaderField(header, "fortran_order", sourceName);
        var shapeText = ShapePattern().Match(header);
        if (!shapeText.Success)
            Throw.ModelLoad($"{sourceName}: .npy header has no shape");
        if (fortran != "False")
            Throw.ModelLoad($"{sourceName}: Fortran-ordered .npy arrays are not supported; save with np.ascontiguousarray");
        var dims = shapeText.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.Parse(d.TrimEnd('L'), CultureInfo.InvariantCulture)).ToArray();
        var elementType = ElementTypeOf(descr.Trim('\'', '"'), sourceName);

        var data = bytes.AsMemory(headerStart + headerLength);
        var expected = elementType.ByteCount(dims.Aggregate(1L, (n, d) => n * d));
        if (data.Length != expected)
            Throw.ModelLoad($"{sourceName}: .npy data holds {data.Length} bytes, shape ({string.Join(", ", dims)}) of {descr} needs {expected}");
        return TensorData.FromBytes(elementType, dims, data);
    }

    /// <summary>Writes a version-1 .npy file (atomically: temporary file, then rename).</summary>
    public static void Save(TensorData tensor, string path)
    {
        var descr = Descr(tensor.ElementType);
        var shape = tensor.Rank == 1 ? $"({tensor.Dims[0]},)" : $"({string.Join(", ", tensor.Dims)})";
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        // Pad so the data starts on a 64-byte boundary, as numpy does.
        var padded = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        AtomicFile.Write(path, stream =>
        {
            stream.Write(Magic);
            stream.Write([1, 0]);
            Span<byte> length = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(length, checked((ushort)padded.Length));
            stream.Write(length);
            stream.Write(Encoding.Latin1.GetBytes(padded));
            stream.Write(tensor.Bytes.Span);
        });
    }

    static string HeaderField(string header, string key, string sourceName)
    {
        var match = Regex.Match(header, $"'{key}'\\s*:\\s*('[^']*'|\"[^\"]*\"|True|False)");
        return match.Success ? match.Groups[1].Value : Throw.ModelLoad<string>($"{sourceName}: .npy header has no '{key}'");
    }

    static ElementType ElementTypeOf(string descr, string sourceName) => descr switch
    {
        "<f4" => ElementType.Float,
        "<f8" => ElementType.Double,
        "<f2" => ElementType.Float16,
        "<i8" => ElementType.Int64,
        "<i4" => ElementType.Int32,
        "<i2" => ElementType.Int16,
        "|i1" or "<i1" => ElementType.Int8,
        "<u8" => ElementType.UInt64,
        "<u4" => ElementType.UInt32,
        "<u2" => ElementType.UInt16,
        "|u1" or "<u1" => ElementType.UInt8,
        "|b1" => ElementType.Bool,
        _ => Throw.ModelLoad<ElementType>($"{sourceName}: .npy dtype '{descr}' is not supported (little-endian numeric or bool only)"),
    };

    static string Descr(ElementType type) => type switch
    {
        ElementType.Float => "<f4",
        ElementType.Double => "<f8",
        ElementType.Float16 => "<f2",
        ElementType.Int64 => "<i8",
        ElementType.Int32 => "<i4",
        ElementType.Int16 => "<i2",
        ElementType.Int8 => "|i1",
        ElementType.UInt64 => "<u8",
        ElementType.UInt32 => "<u4",
        ElementType.UInt16 => "<u2",
        ElementType.UInt8 => "|u1",
        ElementType.Bool => "|b1",
        _ => throw new NotSupportedException($"{type.DisplayName()} tensors cannot be saved as .npy"),
    };

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
