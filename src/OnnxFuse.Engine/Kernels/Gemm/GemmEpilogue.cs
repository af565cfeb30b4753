using OnnxFuse.Engine.Kernels.Elementwise;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// The fused epilogue: C[i, j] = activation(C[i, j] + bias), run on a block of C right after its last depth block,
/// while the block is still in cache. <c>biasAdded</c>: the microkernel already added the bias, only the activation is left.
/// </summary>
static class GemmEpilogue
{
    public static unsafe void Apply(in GemmOperands o, int rowStart, int rowCount, int columnStart, int columnCount, bool biasAdded = false)
    {
        var p = o.Parameters;
        if (!p.HasEpilogue || columnCount <= 0)
            return;
        var bias = biasAdded ? BiasKind.None : p.BiasKind;
        for (var i = rowStart; i < rowStart + rowCount && bias != BiasKind.None; i++)
        {
            var row = new Span<float>(o.C + (nint)i * p.StrideC + columnStart, columnCount);
            if (bias == BiasKind.PerColumn)
                ArithmeticKernel.Add(row, new ReadOnlySpan<float>(o.Bias + columnStart, columnCount), row);
            else
                ArithmeticKernel.Add(row, o.Bias[i], row);
        }
        if (p.Activation.Kind == ActivationKind.None)
            return;
        // Rows that lie end to end (short rows: a conv over few positions) take one activation call, not one per row.
        if (columnStart == 0 && columnCount == p.StrideC)
        {
            var block = new Span<float>(o.C + (nint)rowStart * p.StrideC, rowCount * columnCount);
            ActivationKernel.Run(block, p.Activation, block);
            return;
        }
        for (var i = rowStart; i < rowStart + rowCount; i++)
        {
            var row = new Span<float>(o.C + (nint)i * p.StrideC + columnStart, columnCount);
            ActivationKernel.Run(row, p.Activation, row);
        }
    }

    /// <summary>Depth 0: C = beta · C, then the epilogue.</summary>
    public static unsafe void EmptyProduct(in GemmOperands o)
    {
        var p = o.Parameters;
        for (var i = 0; i < p.RowCount; i++)
        {
            var row = new Span<float>(o.C + (nint)i * p.StrideC, p.ColumnCount);
            if (p.Beta == 0f)
                row.Clear();
            else
                ArithmeticKernel.Multiply(row, p.Beta, row);
        }
        Apply(o, 0, p.RowCount, 0, p.ColumnCount);
    }
}
