using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Runtime.Tests;

public sealed class RandomTensorsTests
{
    [Fact]
    public void The_same_seed_gives_the_same_tensor_and_another_seed_another()
    {
        var input = new ValueDescription("x", ElementType.Float, Shape.Of(4, 8));

        var first = RandomTensors.For(input, seed: 3);

        Assert.True(first.ContentEquals(RandomTensors.For(input, seed: 3)));
        Assert.False(first.ContentEquals(RandomTensors.For(input, seed: 4)));
    }

    [Fact]
    public void Floats_lie_in_minus_one_to_one_and_integers_are_zero_or_one()
    {
        var floats = RandomTensors.For(new ValueDescription("x", ElementType.Float, Shape.Of(1000)), seed: 1).ToArray<float>();
        var ids = RandomTensors.For(new ValueDescription("ids", ElementType.Int64, Shape.Of(1000)), seed: 1).ToArray<long>();

        Assert.All(floats, v => Assert.InRange(v, -1f, 1f));
        Assert.All(ids, v => Assert.InRange(v, 0L, 1L));
        Assert.True(floats.Max() - floats.Min() > 1.5f);
    }

    [Fact]
    public void Symbolic_dimensions_become_one()
    {
        var input = new ValueDescription("x", ElementType.Float, new Shape([Dim.Symbol("batch"), Dim.Of(3)]));

        Assert.Equal([1L, 3L], RandomTensors.For(input, seed: 1).Dims);
    }
}
