using System.Buffers;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// com.microsoft QGemm with a quantized output (inputs A, a_scale, a_zero_point, B, b_scale, b_zero_point, C, y_scale,
/// y_zero_point; alpha 1): y = saturate(round_half_even((Σ_k (A'[m, k] − zp_a)(B'[k, n] − zp_b[n]) + C[n]) · s_a · s_b[n] / s_y) + zp_y),
/// A' = A [M, K] or Aᵀ (transA), B' = B [K, N] or Bᵀ (transB), all uint8/int8; b's scale and zero point per tensor or per column n;
/// C int32 [N] or one value (in scale s_a · s_b, zero point 0) or absent. Run by <see cref="Int8Gemm"/> with the requantizing
/// epilogue QLinearMatMul uses; a constant B with a constant (or absent) zero point is packed once at plan time.
/// </summary>
sealed class QuantizedGemmKernel : Kernel
{
    readonly bool _transA;
    readonly bool _transB;
    readonly Int8PackedColumns? _packedB;

    /// <param name="transA">Gemm's transA.</param>
    /// <param name="transB">Gemm's transB.</param>
    /// <param name="constantB">B when constant at plan time.</param>
    /// <param name="constantBZeroPoint">B's zero point when constant.</param>
    /// <param name="bZeroPointAbsent">True when the node omits B's zero point (0).</param>
    public QuantizedGemmKernel(bool transA, bool transB, TensorData? constantB, TensorData? constantBZeroPoint, bool bZeroPointAbsent)
    {
        _transA = transA;
        _transB = transB;
        if (constantB is { Rank: 2 } b && (constantBZeroPoint is not null || bZeroPointAbsent))
        {
            var (depth, columnCount) = BDims(b.Dims[0], b.Dims[1]);
            _packedB = PackB(b.Bytes.Span, Int8Operands.IsSigned(b.ElementType, "B"), depth, columnCount,
                Int8Operands.ZeroPoints(constantBZeroPoint, "B's zero point"), new int[Int8PackedColumns.Length(depth, columnCount)]);
        }
    }

    public override unsafe void Run(KernelContext context)
    {
        var a = context.Input(0);
        var b = context.Input(3);
        if (a.Rank != 2 || b.Rank != 2)
            Throw.ShapeMismatch($"QGemm takes 2-D A and B, got {ShapeMath.Format(a.Dims)} and {ShapeMath.Format(b.Dims)}");
        var (rowCount, depth) = _transA ? (a.Dims[1], a.Dims[0]) : (a.Dims[0], a.Dims[1]);
        var (bDepth, columnCount) = BDims(b.Dims[0], b.Dims[1]);
        if (bDepth != depth)
            Throw.ShapeMismatch($"QGemm inner dimensions differ: A {ShapeMath.Format(a.Dims)}, B {ShapeMath.Format(b.Dims)}");
        var aScale = Int8Operands.Scales(context.Input(1).ElementType, context.Input(1).Bytes, "a_scale");
        var bScale = Int8Operands.Scales(context.Input(4).ElementType, context.Input(4).Bytes, "b_scale");
        var yScale = Int8Operands.Scales(context.Input(7).ElementType, context.Input(7).Bytes, "y_scale");
        if (aScale.Length != 1 || yScale.Length != 1 || bScale.Length != 1 && bScale.Length != columnCount)
            Throw.ShapeMismatch($"QGemm scales: a and y per tensor, b per tensor or per column ({columnCount})");
        var aZero = context.OptionalInput(2);
        var bZero = context.OptionalInput(5);
        var aZeros = aZero is null ? [] : Int8Operands.ZeroPoints(aZero.ElementType, aZero.Bytes, "a_zero_point");
        var bZeros = bZero is null ? [] : Int8Operands.ZeroPoints(bZero.ElementType, bZero.Bytes, "b_zero_point");
        if (aZeros.Length > 1 || bZeros.Length > 1 && bZeros.Length != columnCount)
            Throw.ShapeMismatch($"QGemm zero points: a per tensor, b per tensor or per column ({columnCount})");
        var bias = context.OptionalInput(6) is { } c ? c.Read<int>().ToArray() : null;
        if (bias is not null && bias.Length != 1 && bias.Length != columnCount)
            Throw.ShapeMismatch($"QGemm's C must have 1 or {columnCount} values, got {bias.Length}");
        var yZero = context.OptionalInput(8);
        var yZeroPoint = yZero is null ? 0 : Int8Operands.ZeroPoints(yZero.ElementType, yZero.Bytes, "y_zero_point")[0];
        var multipliers = new float[bScale.Length];
        for (var i = 0; i < multipliers.Length; i++)
            multipliers[i] = aScale[0] * bScale[i] / yScale[0];
        // The epilogue reads a bias per column.
        if (bias is { Length: 1 } && columnCount > 1)
            bias = [.. Enumerable.Repeat(bias[0], columnCount)];

        var output = context.Output(0, yZero?.ElementType ?? ElementType.UInt8, [rowCount, columnCount]);
        var rowBuffer = ArrayPool<int>.Shared.Rent(Int8PackedRows.Length(rowCount, depth));
        var columnBuffer = _packedB is null ? ArrayPool<int>.Shared.Rent(Int8PackedColumns.Length(depth, columnCount)) : null;
        try
        {
            var packedA = _transA
                ? Int8Operands.PackRows(a.Bytes, Int8Operands.IsSigned(a.ElementType, "A"), rowCount, depth, 1, rowCount, aZeros, rowBuffer)
                : Int8Operands.PackRows(a.Bytes, Int8Operands.IsSigned(a.ElementType, "A"), rowCount, depth, depth, 1, aZeros, rowBuffer);
            var packedB = _packedB ?? PackB(b.Bytes, Int8Operands.IsSigned(b.ElementType, "B"), depth, columnCount, bZeros, columnBuffer!);
            fixed (float* m = multipliers)
            fixed (int* biasPointer = bias)
            {
                if (output.ElementType == ElementType.Int8)
                {
                    fixed (sbyte* y = output.Write<sbyte>())
                        Int8Gemm.Run(packedA, packedB, new RequantizeEpilogue<sbyte>(y, columnCount, 0, m, multipliers.Length, biasPointer, false, yZeroPoint),
                            context.ThreadCount);
                }
                else
                {
                    fixed (byte* y = output.Write<byte>())
                        Int8Gemm.Run(packedA, packedB, new RequantizeEpilogue<byte>(y, columnCount, 0, m, multipliers.Length, biasPointer, false, yZeroPoint),
                            context.ThreadCount);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rowBuffer);
            if (columnBuffer is not null)
                ArrayPool<int>.Shared.Return(columnBuffer);
        }
    }

    /// <summary>(K, N) of B stored as [first, second].</summary>
    (int Depth, int ColumnCount) BDims(long first, long second) => _transB ? ((int)second, (int)first) : ((int)first, (int)second);

    Int8PackedColumns PackB(ReadOnlySpan<byte> bytes, bool signed, int depth, int columnCount, int[] zeroPoints, int[] destination) => _transB
        ? Int8Operands.PackColumns(bytes, signed, depth, columnCount, 1, depth, zeroPoints, destination)
        : Int8Operands.PackColumns(bytes, signed, depth, columnCount, columnCount, 1, zeroPoints, destination);
}
