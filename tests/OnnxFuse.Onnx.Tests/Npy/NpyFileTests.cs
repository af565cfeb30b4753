using System.Text;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx.Npy;

namespace OnnxFuse.Onnx.Tests.Npy;

public sealed class NpyFileTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("onnxfuse-npy-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Parses_the_bytes_numpy_writes_for_a_float32_matrix()
    {
        // np.save of np.arange(6, dtype=np.float32).reshape(2, 3): version 1.0, header padded to 64 bytes.
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }".PadRight(117) + "\n";
        var bytes = new List<byte>([0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0]);
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        foreach (var value in new float[] { 0, 1, 2, 3, 4, 5 })
            bytes.AddRange(BitConverter.GetBytes(value));

        var tensor = NpyFile.Parse([.. bytes], "arange.npy");

        Assert.Equal(ElementType.Float, tensor.ElementType);
        Assert.Equal([2L, 3L], tensor.Dims);
        Assert.Equal([0f, 1, 2, 3, 4, 5], tensor.ToArray<float>());
    }

    [Theory]
    [InlineData(ElementType.Int64)]
    [InlineData(ElementType.Float)]
    [InlineData(ElementType.Bool)]
    [InlineData(ElementType.UInt8)]
    public void Saved_files_load_back_with_the_same_type_shape_and_contents(ElementType type)
    {
        var bytes = new byte[type.ByteCount(12)];
        new Random(3).NextBytes(bytes);
        if (type == ElementType.Bool)
            bytes = [.. bytes.Select(b => (byte)(b & 1))];
        var original = TensorData.FromBytes(type, [3, 4], bytes);
        var path = Path.Combine(_scratch, "t.npy");

        NpyFile.Save(original, path);
        var loaded = NpyFile.Load(path);

        Assert.True(original.ContentEquals(loaded));
        Assert.Equal(0, (new FileInfo(path).Length - original.Bytes.Length) % 64);
    }

    [Fact]
    public void A_scalar_and_a_vector_keep_their_ranks()
    {
        var scalarPath = Path.Combine(_scratch, "s.npy");
        var vectorPath = Path.Combine(_scratch, "v.npy");

        NpyFile.Save(TensorData.Scalar(7L), scalarPath);
        NpyFile.Save(TensorData.Create<float>([3], [1f, 2f, 3f]), vectorPath);

        Assert.Empty(NpyFile.Load(scalarPath).Dims);
        Assert.Equal([3L], NpyFile.Load(vectorPath).Dims);
    }

    [Theory]
    [InlineData("not numpy at all", "missing the \\x93NUMPY magic")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", "dtype '>f4' is not supported")]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", "Fortran-ordered")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", "needs 8")]
    public void Bad_files_are_rejected_naming_the_file_and_the_problem(string header, string expected)
    {
        byte[] bytes = header.StartsWith('{')
            ? [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. Encoding.ASCII.GetBytes(header), 0, 0, 128, 63]
            : Encoding.ASCII.GetBytes(header);

        var error = Assert.Throws<ModelLoadException>(() => NpyFile.Parse(bytes, "bad.npy"));

        Assert.StartsWith("bad.npy: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
