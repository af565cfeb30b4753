using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.LinearAlgebra;

/// <summary>
/// MatMul with numpy semantics (float32): A [..., M, K] · B [..., K, N] → [..., M, N], batch dimensions
/// broadcast; a 1-D A is a row [1, K] and a 1-D B a column [K, 1], their unit dimension dropped from the result.
/// Also serves com.microsoft FusedMatMul: y = alpha · op(A) · op(B), where transA/transB transpose the last two axes.
/// A constant 2-D B is packed once at plan time. A shared B runs as one GEMM over all rows of A; batches whose
/// operands are either whole or broadcast run as one strided batch; other broadcasts run one GEMM per entry.
/// </summary>
sealed class MatMulKernel : Kernel
{
    readonly float _alpha;
    readonly bool _transA;
    readonly bool _transB;
    readonly PackedMatrix? _packedB;

    public MatMulKernel(float alpha, bool transA, bool transB, TensorData? constantB)
    {
        _alpha = alpha;
        _transA = transA;
        _transB = transB;
        _packedB = ConstantMatrix.PackB(constantB, transB);
    }

    public override void Run(KernelContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        if (a.ElementType != ElementType.Float || b.ElementType != ElementType.Float)
            Throw.ShapeMismatch($"MatMul supports float32 only, got {a.ElementType.DisplayName()} and {b.ElementType.DisplayName()}");
        var aDims = a.Dims;
        var bDims = b.Dims;
        var transA = _transA && a.Rank > 1;
        var transB = _transB && b.Rank > 1;
        var rowCount = a.Rank == 1 ? 1 : transA ? aDims[^1] : aDims[^2];
        var depth = a.Rank == 1 ? aDims[0] : transA ? aDims[^2] : aDims[^1];
        var columnCount = b.Rank == 1 ? 1 : transB ? bDims[^2] : bDims[^1];
        var bDepth = b.Rank == 1 ? bDims[0] : transB ? bDims[^1] : bDims[^2];
        if (depth != bDepth)
            Throw.ShapeMismatch($"MatMul inner dimensions differ: {ShapeMath.Format(aDims)} · {ShapeMath.Format(bDims)}");

        var aBatch = a.Rank > 2 ? aDims[..^2] : [];
        var bBatch = b.Rank > 2 ? bDims[..^2] : [];
        Span<int> batchDims = stackalloc int[ShapeMath.MaxRank];
        var batchRank = ShapeMath.Broadcast(aBatch, bBatch, batchDims);
        batchDims = batchDims[..batchRank];
        Span<int> outputDims = stackalloc int[ShapeMath.MaxRank];
        batchDims.CopyTo(outputDims);
        var rank = batchRank;
        if (a.Rank > 1)
            outputDims[rank++] = rowCount;
        if (b.Rank > 1)
            outputDims[rank++] = columnCount;
        var output = context.Output(0, ElementType.Float, outputDims[..rank]);

        var aData = a.Read<float>();
        var bData = b.Read<float>();
        var cData = output.Write<float>();
        var packedB = b.Rank == 2 ? _packedB : null;
        var p = new GemmParameters(rowCount, columnCount, depth)
        {
            TransposeA = transA,
            TransposeB = transB && packedB is null,
            Alpha = _alpha,
            ThreadCount = context.ThreadCount,
        };
        long aSize = (long)rowCount * depth, bSize = (long)depth * columnCount, cSize = (long)rowCount * columnCount;
        var batchCount = ShapeMath.Product(batchDims);
        if (bBatch.IsEmpty && !transA)
        {
            // B is shared by every batch entry and A's rows are contiguous: one GEMM over all rows of A.
            var all = p with { RowCount = batchCount * rowCount };
            if (packedB is not null)
                GemmKernel.Run(aData, packedB, [], all, cData);
            else
                GemmKernel.Run(aData, bData, [], all, cData);
        }
        else if (IsWholeOrBroadcast(aBatch, batchDims) && IsWholeOrBroadcast(bBatch, batchDims))
        {
            var batch = new GemmBatch(batchCount, ShapeMath.Product(aBatch) == 1 ? 0 : aSize, ShapeMath.Product(bBatch) == 1 ? 0 : bSize, cSize);
            GemmKernel.RunStridedBatch(aData, bData, packedB, [], p, batch, cData);
        }
        else
        {
            RunBroadcastBatch(aData, aBatch, bData, bBatch, batchDims, p, cData);
        }
    }

    /// <summary>True when an operand's batch axes either span the whole batch or are all 1 (so one stride describes it).</summary>
    static bool IsWholeOrBroadcast(ReadOnlySpan<int> operandBatch, ReadOnlySpan<int> batchDims) =>
        ShapeMath.Product(operandBatch) == 1
        || operandBatch.Length == batchDims.Length && operandBatch.SequenceEqual(batchDims);

    static void RunBroadcastBatch(ReadOnlySpan<float> a, ReadOnlySpan<int> aBatch, ReadOnlySpan<float> b, ReadOnlySpan<int> bBatch,
        ReadOnlySpan<int> batchDims, in GemmParameters p, Span<float> c)
    {
        var batchRank = batchDims.Length;
        int aSize = p.RowCount * p.Depth, bSize = p.Depth * p.ColumnCount, cSize = p.RowCount * p.ColumnCount;
        Span<int> aStrides = stackalloc int[batchRank];
        Span<int> bStrides = stackalloc int[batchRank];
        ShapeMath.BroadcastStrides(aBatch, batchDims, aStrides);
        ShapeMath.BroadcastStrides(bBatch, batchDims, bStrides);
        Span<int> counter = stackalloc int[batchRank];
        counter.Clear();
        int aIndex = 0, bIndex = 0;
        var batchCount = ShapeMath.Product(batchDims);
        for (var entry = 0; entry < batchCount; entry++)
        {
            GemmKernel.Run(a.Slice(aIndex * aSize, aSize), b.Slice(bIndex * bSize, bSize), [], p, c.Slice(entry * cSize, cSize));
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
}
