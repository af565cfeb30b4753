using System.Buffers;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// MatMulInteger and QLinearMatMul: A [..., M, K] (uint8/int8) · B [..., K, N] (uint8/int8) with zero points
/// subtracted, int32 accumulation, run by <see cref="Int8Gemm"/>. MatMulInteger (inputs A, B, a_zero_point [M or 1],
/// b_zero_point [N or 1]) stores the int32 sums; QLinearMatMul (inputs a, a_scale, a_zero_point, b, b_scale,
/// b_zero_point, y_scale, y_zero_point; scales float32, b's per column) requantizes them to y_zero_point's type.
/// B is 2-D (shared by every batch entry of A) or has A's batch dimensions. A constant 2-D B with a constant zero
/// point is packed once at plan time.
/// </summary>
sealed class QuantizedMatMulKernel : Kernel
{
    readonly bool _requantize;
    readonly Int8PackedColumns? _packedB;

    /// <param name="requantize">True for QLinearMatMul, false for MatMulInteger.</param>
    /// <param name="constantB">B when constant at plan time.</param>
    /// <param name="constantBZeroPoint">B's zero point when constant.</param>
    /// <param name="bZeroPointAbsent">True when the node omits B's zero point (0).</param>
    public QuantizedMatMulKernel(bool requantize, TensorData? constantB, TensorData? constantBZeroPoint, bool bZeroPointAbsent)
    {
        _requantize = requantize;
        if (constantB is { Rank: 2 } b && (constantBZeroPoint is not null || bZeroPointAbsent))
        {
            var depth = (int)b.Dims[0];
            var columnCount = (int)b.Dims[1];
            _packedB = Int8Operands.PackColumns(b.Bytes.Span, Int8Operands.IsSigned(b.ElementType, "B"), depth, columnCount, columnCount, 1,
                Int8Operands.ZeroPoints(constantBZeroPoint, "B's zero point"), new int[Int8PackedColumns.Length(depth, columnCount)]);
        }
    }

    int BIndex => _requantize ? 3 : 1;

    public override void Run(KernelContext context)
    {
        var a = context.Input(0);
        var b = context.Input(BIndex);
        var aZero = context.OptionalInput(2);
        var bZero = context.OptionalInput(_requantize ? 5 : 3);
        if (a.Rank == 0 || b.Rank == 0)
            Throw.ShapeMismatch("MatMulInteger/QLinearMatMul operands must have rank ≥ 1");
        var aDims = a.Dims;
        var bDims = b.Dims;
        var rowCount = a.Rank == 1 ? 1 : aDims[^2];
        var depth = aDims[^1];
        var columnCount = b.Rank == 1 ? 1 : bDims[^1];
        if ((b.Rank == 1 ? bDims[0] : bDims[^2]) != depth)
            Throw.ShapeMismatch($"quantized MatMul inner dimensions differ: {ShapeMath.Format(aDims)} · {ShapeMath.Format(bDims)}");
        var aBatch = a.Rank > 2 ? aDims[..^2] : [];
        var bBatch = b.Rank > 2 ? bDims[..^2] : [];
        if (!bBatch.IsEmpty && !ShapeMath.SameDims(aBatch, bBatch))
            Throw.ShapeMismatch($"quantized MatMul supports a 2-D B or equal batch dimensions, got {ShapeMath.Format(aDims)} · {ShapeMath.Format(bDims)}");
        var batchCount = ShapeMath.Product(aBatch);

        Span<int> outputDims = stackalloc int[ShapeMath.MaxRank];
        aBatch.CopyTo(outputDims);
        var rank = aBatch.Length;
        if (a.Rank > 1)
            outputDims[rank++] = rowCount;
        if (b.Rank > 1)
            outputDims[rank++] = columnCount;
        var yZero = _requantize ? context.OptionalInput(7) : null;
        var outputType = _requantize ? yZero?.ElementType ?? ElementType.UInt8 : ElementType.Int32;
        var output = context.Output(0, outputType, outputDims[..rank]);

        var aSigned = Int8Operands.IsSigned(a.ElementType, "A");
        var bSigned = Int8Operands.IsSigned(b.ElementType, "B");
        var aZeros = aZero is null ? [] : Int8Operands.ZeroPoints(aZero.ElementType, aZero.Bytes, "A's zero point");
        var bZeros = bZero is null ? [] : Int8Operands.ZeroPoints(bZero.ElementType, bZero.Bytes, "B's zero point");
        if (aZeros.Length > 1 && (aZeros.Length != rowCount || batchCount != 1))
            Throw.ShapeMismatch($"A's zero point has {aZeros.Length} values; 1 or {rowCount} expected");
        if (bZeros.Length > 1 && bZeros.Length != columnCount)
            Throw.ShapeMismatch($"B's zero point has {bZeros.Length} values; 1 or {columnCount} expected");

        float[]? multipliers = null;
        var yZeroPoint = 0;
        if (_requantize)
        {
            var aScale = Int8Operands.Scales(context.Input(1).ElementType, context.Input(1).Bytes, "a_scale");
            var bScale = Int8Operands.Scales(context.Input(4).ElementType, context.Input(4).Bytes, "b_scale");
            var yScale = Int8Operands.Scales(context.Input(6).ElementType, context.Input(6).Bytes, "y_scale");
            if (aScale.Length != 1 || yScale.Length != 1 || bScale.Length != 1 && bScale.Length != columnCount)
                Throw.ShapeMismatch($"QLinearMatMul scales: a and y per tensor, b per tensor or per column ({columnCount})");
            multipliers = new float[bScale.Length];
            for (var i = 0; i < multipliers.Length; i++)
                multipliers[i] = aScale[0] * bScale[i] / yScale[0];
            yZeroPoint = yZero is null ? 0 : Int8Operands.ZeroPoints(yZero.ElementType, yZero.Bytes, "y's zero point")[0];
        }

        var shared = bBatch.IsEmpty;
        var packedB = shared && b.Rank == 2 ? _packedB : null;
        var gemmRows = shared ? batchCount * rowCount : rowCount;
        var rowBuffer = ArrayPool<int>.Shared.Rent(Int8PackedRows.Length(gemmRows, depth));
        var columnBuffer = packedB is null ? ArrayPool<int>.Shared.Rent(Int8PackedColumns.Length(depth, columnCount)) : null;
        try
        {
            var entries = shared ? 1 : batchCount;
            var aBytes = a.Bytes;
            var bBytes = b.Bytes;
            for (var entry = 0; entry < entries; entry++)
            {
                var aSlice = aBytes.Slice(entry * rowCount * depth, gemmRows * depth);
                var packedA = Int8Operands.PackRows(aSlice, aSigned, gemmRows, depth, depth, 1, aZeros, rowBuffer);
                var columns = packedB ?? Int8Operands.PackColumns(bBytes.Slice(entry * depth * columnCount, depth * columnCount), bSigned, depth,
                    columnCount, columnCount, 1, bZeros, columnBuffer!);
                Multiply(packedA, columns, output, entry * gemmRows * columnCount, columnCount, multipliers, yZeroPoint, context.ThreadCount);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rowBuffer);
            if (columnBuffer is not null)
                ArrayPool<int>.Shared.Return(columnBuffer);
        }
    }

    static unsafe void Multiply(Int8PackedRows a, Int8PackedColumns b, RuntimeTensor output, int offset, int columnCount, float[]? multipliers,
        int yZeroPoint, int threadCount)
    {
        switch (output.ElementType)
        {
            case ElementType.Int32:
                fixed (int* y = output.Write<int>())
                    Int8Gemm.Run(a, b, new Int32StoreEpilogue(y + offset, columnCount), threadCount);
                break;
            case ElementType.UInt8:
                fixed (byte* y = output.Write<byte>())
                fixed (float* m = multipliers)
                    Int8Gemm.Run(a, b, new RequantizeEpilogue<byte>(y + offset, columnCount, 0, m, multipliers!.Length, null, false, yZeroPoint), threadCount);
                break;
            case ElementType.Int8:
                fixed (sbyte* y = output.Write<sbyte>())
                fixed (float* m = multipliers)
                    Int8Gemm.Run(a, b, new RequantizeEpilogue<sbyte>(y + offset, columnCount, 0, m, multipliers!.Length, null, false, yZeroPoint), threadCount);
                break;
            default:
                Throw.ShapeMismatch($"QLinearMatMul output must be uint8 or int8, got {output.ElementType.DisplayName()}");
                break;
        }
    }
}
