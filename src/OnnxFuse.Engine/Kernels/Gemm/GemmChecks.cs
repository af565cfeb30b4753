using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>Argument and buffer-size checks shared by every GEMM variant.</summary>
static class GemmChecks
{
    public static void Dimensions(in GemmParameters p)
    {
        if (p.RowCount < 0 || p.ColumnCount < 0 || p.Depth < 0)
            Throw.ShapeMismatch($"GEMM dimensions must be non-negative, got {p.RowCount}×{p.ColumnCount}×{p.Depth}.");
        if (p.StrideC < p.ColumnCount)
            Throw.ShapeMismatch($"GEMM leading dimension of C ({p.StrideC}) is below the column count {p.ColumnCount}.");
    }

    public static void A(in GemmParameters p, int length) =>
        Operand("A", p.TransposeA ? p.Depth : p.RowCount, p.TransposeA ? p.RowCount : p.Depth, p.StrideA, length);

    public static void B(in GemmParameters p, int length) =>
        Operand("B", p.TransposeB ? p.ColumnCount : p.Depth, p.TransposeB ? p.Depth : p.ColumnCount, p.StrideB, length);

    public static void C(in GemmParameters p, int length) => Operand("C", p.RowCount, p.ColumnCount, p.StrideC, length);

    public static void Bias(in GemmParameters p, int length)
    {
        var needed = p.BiasKind switch
        {
            BiasKind.PerColumn => p.ColumnCount,
            BiasKind.PerRow => p.RowCount,
            _ => 0,
        };
        if (length < needed)
            Throw.ShapeMismatch($"GEMM bias holds {length} values; {p.BiasKind} needs {needed}.");
    }

    static void Operand(string name, int storedRows, int storedColumns, int stride, int length)
    {
        if (storedRows == 0 || storedColumns == 0)
            return;
        if (stride < storedColumns)
            Throw.ShapeMismatch($"GEMM leading dimension of {name} ({stride}) is below its stored row length {storedColumns}.");
        var needed = (long)(storedRows - 1) * stride + storedColumns;
        if (length < needed)
            Throw.ShapeMismatch($"GEMM operand {name} holds {length} values; a {storedRows}×{storedColumns} matrix with stride {stride} needs {needed}.");
    }
}
