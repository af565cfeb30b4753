using System.Runtime.InteropServices;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Testing;

namespace OnnxFuse.Ort.Tests;

public sealed class OrtBindingTests
{
    static readonly string s_mlpPath = TestPaths.SharedModel("vollo_mlp");

    static float[] RandomFloats(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1))];
    }

    [Fact]
    public void Bound_run_writes_the_same_outputs_as_run()
    {
        var input = RandomFloats(1, 784);
        var output = new byte[40];
        using var session = OrtSession.Create(s_mlpPath, new OrtSessionOptions { IntraOpThreads = 1 });
        var expected = Assert.Single(session.Run(new Dictionary<string, TensorData> { ["input"] = TensorData.Create<float>([784], input) }));
        using var binding = session.CreateBinding();
        binding.BindInput("input", ElementType.Float, [784], MemoryMarshal.AsBytes(input.AsSpan()).ToArray());
        binding.BindOutput("output", [10], output);

        binding.Run();

        Assert.Equal(expected.Bytes.ToArray(), output);
    }

    [Fact]
    public void Writing_into_a_bound_input_buffer_changes_the_next_run()
    {
        var a = new byte[8];
        var b = new byte[8];
        var sum = new byte[8];
        using var session = OrtSession.Create(TestModels.AddAndMul(Shape.Of(2)));
        using var binding = session.CreateBinding();
        binding.BindInput("a", ElementType.Float, [2], a);
        binding.BindInput("b", ElementType.Float, [2], b);
        binding.BindOutput("sum", [2], sum);

        MemoryMarshal.Cast<byte, float>(a.AsSpan())[0] = 1f;
        MemoryMarshal.Cast<byte, float>(b.AsSpan())[0] = 2f;
        binding.Run();
        var first = MemoryMarshal.Cast<byte, float>(sum.AsSpan()).ToArray();
        MemoryMarshal.Cast<byte, float>(b.AsSpan())[1] = 5f;
        binding.Run();

        Assert.Equal([3f, 0f], first);
        Assert.Equal([3f, 5f], MemoryMarshal.Cast<byte, float>(sum.AsSpan()).ToArray());
    }

    [Fact]
    public void Rebinding_an_input_replaces_the_previous_tensor()
    {
        var sum = new byte[8];
        using var session = OrtSession.Create(TestModels.AddAndMul(Shape.Of(2)));
        using var binding = session.CreateBinding();
        binding.BindInput("a", TensorData.Create<float>([2], [1f, 1f]));
        binding.BindInput("b", TensorData.Create<float>([2], [1f, 1f]));
        binding.BindOutput("sum", [2], sum);
        binding.Run();

        binding.BindInput("a", TensorData.Create<float>([2], [10f, 20f]));
        binding.Run();

        Assert.Equal([11f, 21f], MemoryMarshal.Cast<byte, float>(sum.AsSpan()).ToArray());
    }

    [Fact]
    public void Output_buffer_of_the_wrong_shape_throws_when_run()
    {
        using var session = OrtSession.Create(s_mlpPath);
        using var binding = session.CreateBinding();
        binding.BindInput("input", TensorData.Create<float>([784], RandomFloats(2, 784)));
        binding.BindOutput("output", [9], new byte[36]);

        var error = Assert.Throws<OrtException>(binding.Run);

        Assert.Contains(s_mlpPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_buffer_too_small_for_its_shape_throws_when_bound()
    {
        using var session = OrtSession.Create(s_mlpPath);
        using var binding = session.CreateBinding();

        Assert.Throws<OrtException>(() => binding.BindOutput("output", [10], new byte[39]));
    }

    [Fact]
    public void Unknown_names_throw_when_bound()
    {
        using var session = OrtSession.Create(s_mlpPath);
        using var binding = session.CreateBinding();

        Assert.Contains("no input 'x'", Assert.Throws<OrtException>(() => binding.BindInput("x", ElementType.Float, [1], new byte[4])).Message,
            StringComparison.Ordinal);
        Assert.Contains("no output 'y'", Assert.Throws<OrtException>(() => binding.BindOutput("y", [1], new byte[4])).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Run_after_dispose_throws_object_disposed()
    {
        using var session = OrtSession.Create(s_mlpPath);
        var binding = session.CreateBinding();
        binding.Dispose();

        Assert.Throws<ObjectDisposedException>(binding.Run);
    }
}
