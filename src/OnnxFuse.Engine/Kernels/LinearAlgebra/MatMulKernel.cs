using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.LinearAlgebra;

/// <summary>
/// MatMul with numpy semantics (float32): A [..., M, K] · B [..., K, N] → [..., M, N], batch dimensions
/// broadcast; a 1-D A is a row [1, K] and a 1-D B a column [K, 1], their unit dimension dropped from the result.
/// Also serves com.microsoft FusedMatMul (<paramref name="alpha"/> scaling; transposes are rejected at plan time).
/// </summary>
sealed class MatMulKernel(float alpha = 1f) : Kernel
{
    public override void Run(KernelContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        if (a.ElementType != ElementType.Float || b.ElementType != ElementType.Float)
            Throw.ShapeMismatch($"MatMul supports float32 only, got {a.ElementType.DisplayName()} and {b.ElementType.DisplayName()}");
        var aDims = a.Dims;
        var bDims = b.Dims;
        var rowCount = a.Rank == 1 ? 1 : aDims[^2];
        var innerCount = aDims[^1];
        var columnCount = b.Rank == 1 ? 1 : bDims[^1];
        var bInner = b.Rank == 1 ? bDims[0] : bDims[^2];
        if (innerCount != bInner)
            Throw.ShapeMismatch($"MatMul inner dimensions differ: {ShapeMath.Format(aDims)} · {ShapeMath.Format(bDims)}");

        var aBatch = a.Rank > 2 ? aDims[..^2] : [];
        var bBatch = b.Rank > 2 ? bDims[..^2] : [];
        Span<int> batchDims = stackalloc int[ShapeMath.MaxRank];
        var batchRank = ShapeMath.Broadcast(aBatch, bBatch, batchDims);
        Span<int> outputDims = stackalloc int[ShapeMath.MaxRank];
        batchDims[..batchRank].CopyTo(outputDims);
        var rank = batchRank;
        if (a.Rank > 1)
            outputDims[rank++] = rowCount;
        if (b.Rank > 1)
            outputDims[rank++] = columnCount;
        var output = context.Output(0, ElementType.Float, outputDims[..rank]);

        var gemm = GemmProvider.Current;
        var aData = a.Read<float>();
        var bData = b.Read<float>();
        var cData = output.Write<float>();
        var aSize = rowCount * innerCount;
        var bSize = innerCount * columnCount;
        var cSize = rowCount * columnCount;
        var batchCount = ShapeMath.Product(batchDims[..batchRank]);
        if (bBatch.IsEmpty && aBatch.Length == batchRank)
        {
            // B is shared by every batch: one GEMM over all rows of A.
            gemm.Multiply(aData, bData, batchCount * rowCount, innerCount, columnCount, false, context.ThreadCount, cData);
        }
        else
        {
            Span<int> aStrides = stackalloc int[batchRank];
            Span<int> bStrides = stackalloc int[batchRank];
            ShapeMath.BroadcastStrides(aBatch, batchDims[..batchRank], aStrides);
            ShapeMath.BroadcastStrides(bBatch, batchDims[..batchRank], bStrides);
            Span<int> counter = stackalloc int[batchRank];
            counter.Clear();
            int aIndex = 0, bIndex = 0;
            for (var batch = 0; batch < batchCount; batch++)
            {
                gemm.Multiply(aData.Slice(aIndex * aSize, aSize), bData.Slice(bIndex * bSize, bSize), rowCount, innerCount, columnCount,
                    false, context.ThreadCount, cData.Slice(batch * cSize, cSize));
                for (var axis = batchRank - 1; axis >= 0; axis--)
                {
                    aIndex += aStrides[axis];
                    bIndex += bStrides[axis];
                    if (++counter[axis] < batchDims[axis])
                        break;
                    aIndex -= aStrides[axis] * batchDims[axis];
                    bIndex -= bStrides[axis] * batchDims[axis];
                    counter[axis] = 0;
                }
            }
        }
        if (alpha != 1f)
            System.Numerics.Tensors.TensorPrimitives.Multiply(cData, alpha, cData);
    }
}
