using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// ReverseSequence: for each batch entry b (along <c>batch_axis</c>), reverses the first sequence_lens[b] slices along
/// <c>time_axis</c> and copies the rest unchanged. The axes are 0 and 1 in either order; any element type (bytes).
/// </summary>
sealed class ReverseSequenceKernel(int batchAxis, int timeAxis) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var lengths = context.Input(1);
        if (input.Rank < 2 || batchAxis == timeAxis || batchAxis is not (0 or 1) || timeAxis is not (0 or 1))
            Throw.ShapeMismatch($"ReverseSequence needs rank ≥ 2 and batch/time axes 0 and 1, got {input}, {batchAxis}, {timeAxis}");
        var (batch, steps) = (input.Dim(batchAxis), input.Dim(timeAxis));
        if (lengths.Rank != 1 || lengths.Dim(0) != batch)
            Throw.ShapeMismatch($"ReverseSequence sequence_lens {lengths} must hold one length per batch entry ({batch})");
        var output = context.Output(0, input.ElementType, input.Dims);
        var sliceBytes = ShapeMath.Product(input.Dims, 2, input.Rank) * input.ElementSize;
        var source = input.Bytes;
        var target = output.Write<byte>();
        for (var b = 0; b < batch; b++)
        {
            var length = IntTensors.IndexOnAxis(lengths, b, steps + 1, "ReverseSequence");
            for (var t = 0; t < steps; t++)
            {
                var from = t < length ? length - 1 - t : t;
                source.Slice(Offset(b, from, batch, steps) * sliceBytes, sliceBytes).CopyTo(target.Slice(Offset(b, t, batch, steps) * sliceBytes, sliceBytes));
            }
        }
    }

    int Offset(int b, int t, int batch, int steps) => batchAxis == 0 ? b * steps + t : t * batch + b;
}
