using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>Concat: joins the inputs along <c>axis</c>; all other dimensions must agree. Copies contiguous blocks as bytes.</summary>
sealed class ConcatKernel(long axis) : Kernel
{
    public override void Run(KernelContext context)
    {
        var first = context.Input(0);
        var rank = first.Rank;
        var normalizedAxis = ShapeMath.NormalizeAxis(axis, rank);
        Span<int> dims = stackalloc int[rank];
        first.Dims.CopyTo(dims);
        dims[normalizedAxis] = 0;
        for (var i = 0; i < context.InputCount; i++)
        {
            var input = context.Input(i);
            if (input.Rank != rank)
                Throw.ShapeMismatch($"Concat input {i} has rank {input.Rank}, not {rank}");
            for (var d = 0; d < rank; d++)
                if (d != normalizedAxis && input.Dim(d) != first.Dim(d))
                    Throw.ShapeMismatch($"Concat input {i} is {ShapeMath.Format(input.Dims)}, which does not match {ShapeMath.Format(first.Dims)} off axis {normalizedAxis}");
            dims[normalizedAxis] += input.Dim(normalizedAxis);
        }
        var output = context.Output(0, first.ElementType, dims);
        var elementSize = first.ElementSize;
        var outerCount = ShapeMath.Product(dims, 0, normalizedAxis);
        var innerBytes = ShapeMath.Product(dims, normalizedAxis + 1, rank) * elementSize;
        var outputRow = dims[normalizedAxis] * innerBytes;
        var target = output.Write<byte>();
        var offset = 0;
        for (var i = 0; i < context.InputCount; i++)
        {
            var input = context.Input(i);
            var rowBytes = input.Dim(normalizedAxis) * innerBytes;
            var source = input.Bytes;
            for (var outer = 0; outer < outerCount; outer++)
                source.Slice(outer * rowBytes, rowBytes).CopyTo(target.Slice(outer * outputRow + offset, rowBytes));
            offset += rowBytes;
        }
    }
}
