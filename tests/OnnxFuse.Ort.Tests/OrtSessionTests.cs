using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Testing;

namespace OnnxFuse.Ort.Tests;

public sealed class OrtSessionTests
{
    static readonly string s_mlpPath = TestPaths.SharedModel("vollo_mlp");

    static TensorData RandomFloats(int seed, params long[] dims)
    {
        var random = new Random(seed);
        var count = dims.Aggregate(1L, (n, d) => n * d);
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return TensorData.Create<float>(dims, values);
    }

    public static TheoryData<ElementType> IdentityTypes =>
    [
        ElementType.Float, ElementType.Double, ElementType.Float16, ElementType.BFloat16, ElementType.Int8, ElementType.Int16,
        ElementType.Int32, ElementType.Int64, ElementType.UInt8, ElementType.UInt16, ElementType.UInt32, ElementType.UInt64,
        ElementType.Bool,
    ];

    [Fact]
    public void Describes_the_inputs_and_outputs_of_a_model_file()
    {
        using var session = OrtSession.Create(s_mlpPath);

        var input = Assert.Single(session.Inputs);
        var output = Assert.Single(session.Outputs);
        Assert.Equal(new OrtValueInfo("input", ElementType.Float, Shape.Of(784)), input);
        Assert.Equal(new OrtValueInfo("output", ElementType.Float, Shape.Of(10)), output);
        Assert.Equal(s_mlpPath, session.ModelName);
    }

    [Fact]
    public void Reports_symbolic_and_unknown_dimensions_by_name()
    {
        var model = TestModels.Identity(ElementType.Float, new Shape([Dim.Symbol("batch"), Dim.Unknown, Dim.Of(3)]));

        using var session = OrtSession.Create(model);

        Assert.Equal(new Shape([Dim.Symbol("batch"), Dim.Unknown, Dim.Of(3)]), Assert.Single(session.Inputs).Shape);
    }

    [Fact]
    public void Runs_a_model_file_and_returns_outputs_of_the_declared_shape()
    {
        using var session = OrtSession.Create(s_mlpPath);

        var output = Assert.Single(session.Run(new Dictionary<string, TensorData> { ["input"] = RandomFloats(1, 784) }));

        Assert.Equal(ElementType.Float, output.ElementType);
        Assert.Equal([10L], output.Dims);
        Assert.Equal("output", output.Name);
        Assert.All(output.ToArray<float>(), value => Assert.True(float.IsFinite(value)));
    }

    [Fact]
    public void Model_bytes_and_model_file_give_identical_outputs()
    {
        var inputs = new Dictionary<string, TensorData> { ["input"] = RandomFloats(2, 784) };
        using var fromFile = OrtSession.Create(s_mlpPath);
        using var fromBytes = OrtSession.Create(File.ReadAllBytes(s_mlpPath), modelName: "vollo_mlp");

        var expected = Assert.Single(fromFile.Run(inputs));
        var actual = Assert.Single(fromBytes.Run(inputs));

        Assert.True(expected.ContentEquals(actual));
        Assert.Equal("vollo_mlp", fromBytes.ModelName);
    }

    [Theory]
    [MemberData(nameof(IdentityTypes))]
    public void Identity_returns_its_input_bytes_unchanged_for_every_numeric_type(ElementType elementType)
    {
        var dims = new long[] { 2, 3 };
        var bytes = new byte[elementType.ByteCount(6)];
        new Random((int)elementType).NextBytes(bytes);
        if (elementType == ElementType.Bool)
            bytes = [.. bytes.Select(b => (byte)(b & 1))];
        var input = TensorData.FromBytes(elementType, dims, bytes);
        using var session = OrtSession.Create(TestModels.Identity(elementType, Shape.Of(dims)));

        var output = Assert.Single(session.Run(new Dictionary<string, TensorData> { ["x"] = input }));

        Assert.True(input.ContentEquals(output), $"{elementType.DisplayName()} changed on the way through ORT");
    }

    [Fact]
    public void Identity_returns_string_tensors_unchanged()
    {
        var input = TensorData.FromStrings([3], ["alpha", "", "γάμμα"]);
        using var session = OrtSession.Create(TestModels.Identity(ElementType.String, Shape.Of(3)));

        var output = Assert.Single(session.Run(new Dictionary<string, TensorData> { ["x"] = input }));

        Assert.True(input.ContentEquals(output));
    }

    [Fact]
    public void Runs_tensors_with_zero_elements()
    {
        var input = TensorData.Create<float>([0, 4], []);
        using var session = OrtSession.Create(TestModels.Identity(ElementType.Float, new Shape([Dim.Symbol("n"), Dim.Of(4)])));

        var output = Assert.Single(session.Run(new Dictionary<string, TensorData> { ["x"] = input }));

        Assert.Equal([0L, 4L], output.Dims);
    }

    [Fact]
    public void Returns_only_the_requested_outputs_in_the_requested_order()
    {
        var a = TensorData.Create<float>([2], [1f, 2f]);
        var b = TensorData.Create<float>([2], [3f, 4f]);
        using var session = OrtSession.Create(TestModels.AddAndMul(Shape.Of(2)));
        var inputs = new Dictionary<string, TensorData> { ["a"] = a, ["b"] = b };

        var both = session.Run(inputs, ["product", "sum"]);
        var productOnly = session.Run(inputs, ["product"]);

        Assert.Equal([3f, 8f], both[0].ToArray<float>());
        Assert.Equal([4f, 6f], both[1].ToArray<float>());
        Assert.Equal("product", Assert.Single(productOnly).Name);
    }

    [Fact]
    public void Concurrent_runs_on_one_session_give_the_same_outputs()
    {
        using var session = OrtSession.Create(s_mlpPath, new OrtSessionOptions { IntraOpThreads = 1 });
        var inputs = new Dictionary<string, TensorData> { ["input"] = RandomFloats(3, 784) };
        var expected = Assert.Single(session.Run(inputs));

        var results = new TensorData[8];
        Parallel.For(0, results.Length, i => results[i] = Assert.Single(session.Run(inputs)));

        Assert.All(results, result => Assert.True(expected.ContentEquals(result)));
    }

    [Fact]
    public void Bad_model_bytes_throw_ort_exception_naming_the_model()
    {
        var error = Assert.Throws<OrtException>(() => OrtSession.Create("definitely not protobuf"u8, modelName: "garbage.onnx"));

        Assert.Equal("garbage.onnx", error.ModelName);
        Assert.StartsWith("ONNX Runtime failed to load the model: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'garbage.onnx'", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(OrtErrorCode.Ok, error.ErrorCode);
    }

    [Fact]
    public void Missing_model_file_throws_ort_exception_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.onnx");

        var error = Assert.Throws<OrtException>(() => OrtSession.Create(path));

        Assert.Equal(path, error.ModelName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_input_name_throws_listing_the_model_inputs()
    {
        using var session = OrtSession.Create(s_mlpPath);

        var error = Assert.Throws<OrtException>(() => session.Run(new Dictionary<string, TensorData> { ["x"] = RandomFloats(4, 784) }));

        Assert.Contains("no input 'x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("input: float32[784]", error.Message, StringComparison.Ordinal);
        Assert.Contains(s_mlpPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_output_name_throws_listing_the_model_outputs()
    {
        using var session = OrtSession.Create(s_mlpPath);

        var error = Assert.Throws<OrtException>(
            () => session.Run(new Dictionary<string, TensorData> { ["input"] = RandomFloats(5, 784) }, ["logits"]));

        Assert.Contains("no output 'logits' (outputs: output)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_input_shape_throws_with_ort_explanation()
    {
        using var session = OrtSession.Create(s_mlpPath);

        var error = Assert.Throws<OrtException>(() => session.Run(new Dictionary<string, TensorData> { ["input"] = RandomFloats(6, 783) }));

        Assert.StartsWith("ONNX Runtime failed to run: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("783", error.Message, StringComparison.Ordinal);
        Assert.Contains("784", error.Message, StringComparison.Ordinal);
        Assert.Equal(OrtErrorCode.InvalidArgument, error.ErrorCode);
    }

    [Fact]
    public void Wrong_input_element_type_throws_with_ort_explanation()
    {
        using var session = OrtSession.Create(s_mlpPath);
        var doubles = TensorData.Create<double>([784], new double[784]);

        var error = Assert.Throws<OrtException>(() => session.Run(new Dictionary<string, TensorData> { ["input"] = doubles }));

        Assert.Contains("double", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_thread_count_is_rejected_before_loading()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OrtSession.Create(s_mlpPath, new OrtSessionOptions { IntraOpThreads = -1 }));
    }

    [Fact]
    public void Run_after_dispose_throws_object_disposed()
    {
        var session = OrtSession.Create(s_mlpPath);
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run(new Dictionary<string, TensorData> { ["input"] = RandomFloats(7, 784) }));
    }
}
