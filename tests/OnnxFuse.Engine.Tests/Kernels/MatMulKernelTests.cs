using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels;

public sealed class MatMulKernelTests
{
    public static IEnumerable<object[]> Shapes =>
    [
        [new long[] { 3, 5 }, new long[] { 5, 7 }],
        [new long[] { 5 }, new long[] { 5, 7 }],
        [new long[] { 3, 5 }, new long[] { 5 }],
        [new long[] { 2, 3, 5 }, new long[] { 5, 7 }],
        [new long[] { 2, 1, 3, 5 }, new long[] { 4, 5, 2 }],
        [new long[] { 1, 17, 33 }, new long[] { 33, 65 }],
    ];

    [Theory, MemberData(nameof(Shapes))]
    public void MatMul_matches_a_naive_triple_loop_with_batch_broadcasting(long[] aDims, long[] bDims)
    {
        var a = NodeRunner.Random(aDims, seed: 5);
        var b = NodeRunner.Random(bDims, seed: 6);

        var result = NodeRunner.Single("MatMul", [a, b]);

        var expected = Reference(a, b);
        Assert.Equal(expected.Dims, result.Dims);
        // Oracle: naive triple loop in double; tolerance covers float32 accumulation order.
        Numerics.AssertClose(expected, result, rtol: 1e-5, atol: 1e-5);
    }

    static TensorData Reference(TensorData a, TensorData b)
    {
        var aDims = a.Rank == 1 ? new long[] { 1, a.Dims[0] } : [.. a.Dims];
        var bDims = b.Rank == 1 ? new long[] { b.Dims[0], 1 } : [.. b.Dims];
        var m = aDims[^2];
        var k = aDims[^1];
        var n = bDims[^1];
        var aBatch = aDims[..^2];
        var bBatch = bDims[..^2];
        var rank = Math.Max(aBatch.Length, bBatch.Length);
        long Dim(long[] d, int axis) => axis < rank - d.Length ? 1 : d[axis - (rank - d.Length)];
        var batch = Enumerable.Range(0, rank).Select(x => Math.Max(Dim(aBatch, x), Dim(bBatch, x))).ToArray();
        var batchCount = batch.Aggregate(1L, (x, y) => x * y);
        var av = a.ToArray<float>();
        var bv = b.ToArray<float>();
        var result = new float[batchCount * m * n];
        for (var t = 0; t < batchCount; t++)
        {
            long aIndex = 0, bIndex = 0, rem = t;
            var idx = new long[rank];
            for (var x = rank - 1; x >= 0; x--)
            {
                idx[x] = rem % batch[x];
                rem /= batch[x];
            }
            for (var x = 0; x < rank; x++)
            {
                aIndex = aIndex * Dim(aBatch, x) + (Dim(aBatch, x) == 1 ? 0 : idx[x]);
                bIndex = bIndex * Dim(bBatch, x) + (Dim(bBatch, x) == 1 ? 0 : idx[x]);
            }
            for (var i = 0; i < m; i++)
                for (var j = 0; j < n; j++)
                {
                    var sum = 0.0;
                    for (var p = 0; p < k; p++)
                        sum += av[aIndex * m * k + i * k + p] * (double)bv[bIndex * k * n + p * n + j];
                    result[t * m * n + i * n + j] = (float)sum;
                }
        }
        var dims = batch.ToList();
        if (a.Rank > 1)
            dims.Add(m);
        if (b.Rank > 1)
            dims.Add(n);
        return TensorData.Create<float>([.. dims], result);
    }
}
