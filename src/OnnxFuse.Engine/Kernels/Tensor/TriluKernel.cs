using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// Trilu: keeps the upper (j − i ≥ k) or lower (j − i ≤ k) triangle of each matrix in the last two dimensions and zeroes
/// the rest; k is the optional scalar int64 input 1 (default 0). Any element type (copied as bytes).
/// </summary>
sealed class TriluKernel(bool upper) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        if (input.Rank < 2)
            Throw.ShapeMismatch($"Trilu needs a tensor of rank ≥ 2, got {input}");
        Span<long> kValue = stackalloc long[1];
        var k = context.OptionalInput(1) is { } kInput && IntTensors.Read(kInput, kValue) > 0 ? kValue[0] : 0;
        var output = context.Output(0, input.ElementType, input.Dims);
        var (rows, columns) = (input.Dim(input.Rank - 2), input.Dim(input.Rank - 1));
        var elementSize = input.ElementSize;
        var rowBytes = columns * elementSize;
        var source = input.Bytes;
        var target = output.Write<byte>();
        var matrixCount = rows * columns == 0 ? 0 : input.ElementCount / (rows * columns);
        for (var m = 0; m < matrixCount; m++)
        {
            for (var i = 0; i < rows; i++)
            {
                var offset = (m * rows + i) * rowBytes;
                var row = target.Slice(offset, rowBytes);
                row.Clear();
                // Kept columns: upper j ≥ i + k, lower j ≤ i + k.
                var first = upper ? (int)Math.Clamp(i + k, 0, columns) : 0;
                var last = upper ? columns : (int)Math.Clamp(i + k + 1, 0, columns);
                if (first < last)
                    source.Slice(offset + first * elementSize, (last - first) * elementSize).CopyTo(row[(first * elementSize)..]);
            }
        }
    }
}
