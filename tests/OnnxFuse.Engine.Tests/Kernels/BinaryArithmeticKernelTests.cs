using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels;

public sealed class BinaryArithmeticKernelTests
{
    public static IEnumerable<object[]> BroadcastShapes =>
    [
        [new long[] { 2, 3, 4 }, new long[] { 2, 3, 4 }],
        [new long[] { 2, 3, 4 }, new long[] { 4 }],
        [new long[] { 2, 3, 4 }, new long[] { 3, 1 }],
        [new long[] { 2, 1, 4 }, new long[] { 1, 3, 1 }],
        [new long[] { 1 }, new long[] { 2, 3 }],
        [new long[] { 5, 1, 1, 7 }, new long[] { 1, 6, 2, 1 }],
        [Array.Empty<long>(), new long[] { 3 }],
        [new long[] { 0, 3 }, new long[] { 3 }],
    ];

    [Theory, MemberData(nameof(BroadcastShapes))]
    public void Sub_broadcasts_like_numpy(long[] leftDims, long[] rightDims)
    {
        var left = NodeRunner.Random(leftDims, seed: 1);
        var right = NodeRunner.Random(rightDims, seed: 2);

        var result = NodeRunner.Single("Sub", [left, right]);

        // Oracle: an element-by-element broadcast written independently of the engine's driver.
        var expected = Reference(left, right, (a, b) => a - b);
        Assert.Equal(expected.Dims, result.Dims);
        Assert.Equal(expected.ToArray<float>(), result.ToArray<float>());
    }

    [Fact]
    public void Int64_arithmetic_is_exact()
    {
        var result = NodeRunner.Single("Mul", [NodeRunner.Longs([3], 1L << 40, -3, 7), NodeRunner.Longs([], 3)]);
        Assert.Equal([3L << 40, -9, 21], result.ToArray<long>());
    }

    [Fact]
    public void Div_of_integers_truncates()
    {
        var result = NodeRunner.Single("Div", [NodeRunner.Longs([2], 7, -7), NodeRunner.Longs([1], 2)]);
        Assert.Equal([3L, -3], result.ToArray<long>());
    }

    [Fact]
    public void Pow_with_a_scalar_exponent_of_another_type()
    {
        var result = NodeRunner.Single("Pow", [NodeRunner.Floats([3], 1, 2, 3), NodeRunner.Longs([], 3)]);
        Assert.Equal([1f, 8f, 27f], result.ToArray<float>());
    }

    internal static TensorData Reference(TensorData left, TensorData right, Func<float, float, float> op)
    {
        var rank = Math.Max(left.Rank, right.Rank);
        long Dim(TensorData t, int axis) => axis < rank - t.Rank ? 1 : t.Dims[axis - (rank - t.Rank)];
        var dims = Enumerable.Range(0, rank).Select(a => Dim(left, a) == 1 ? Dim(right, a) : Dim(left, a)).ToArray();
        var count = dims.Aggregate(1L, (a, b) => a * b);
        var l = left.ToArray<float>();
        var r = right.ToArray<float>();
        var result = new float[count];
        var index = new long[rank];
        for (var i = 0; i < count; i++)
        {
            var rem = i;
            for (var a = rank - 1; a >= 0; a--)
            {
                index[a] = rem % dims[a];
                rem = (int)(rem / dims[a]);
            }
            result[i] = op(l[Offset(left, index, rank)], r[Offset(right, index, rank)]);
        }
        return TensorData.Create<float>(dims, result);
    }

    static int Offset(TensorData t, long[] index, int rank)
    {
        var offset = 0L;
        for (var a = 0; a < t.Rank; a++)
        {
            var d = t.Dims[a];
            offset = offset * d + (d == 1 ? 0 : index[a + rank - t.Rank]);
        }
        return (int)offset;
    }
}
