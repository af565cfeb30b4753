using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.LinearAlgebra;

/// <summary>Plan-time packing of a constant right-hand operand shared by MatMul and Gemm.</summary>
static class ConstantMatrix
{
    /// <summary>
    /// Packs B once when it is a constant float32 matrix: [depth, columns], or [columns, depth] when
    /// <paramref name="transB"/>. Null for anything else, which is then packed per run.
    /// </summary>
    public static PackedMatrix? PackB(TensorData? constantB, bool transB)
    {
        if (constantB is not { ElementType: ElementType.Float, Rank: 2 })
            return null;
        var (rows, columns) = ((int)constantB.Dims[0], (int)constantB.Dims[1]);
        return transB
            ? GemmKernel.PackB(constantB.AsSpan<float>(), columns, rows, transposeB: true)
            : GemmKernel.PackB(constantB.AsSpan<float>(), rows, columns);
    }
}
