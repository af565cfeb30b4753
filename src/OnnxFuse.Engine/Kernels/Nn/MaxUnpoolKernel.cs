using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Nn;

/// <summary>
/// MaxUnpool (float32): X [N, C, d…] and I (MaxPool's indices into the flattened input, int64) → Y of zeros with
/// Y.flat[I[i]] = X.flat[i] over the pooled input's shape, per spatial axis (in − 1) · stride − pad_begin − pad_end +
/// kernel. A larger <c>output_shape</c> input keeps each value at the same coordinates (the indices still count in
/// the pooled input's shape), as ONNX's reference does.
/// </summary>
sealed class MaxUnpoolKernel(long[] kernelShape, long[]? strides, long[]? pads) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var indices = context.Input(1);
        var spatialRank = kernelShape.Length;
        if (x.ElementType != ElementType.Float || indices.ElementType != ElementType.Int64 || !ShapeMath.SameDims(x.Dims, indices.Dims)
            || x.Rank != spatialRank + 2)
            Throw.ShapeMismatch($"MaxUnpool needs float32 X [N, C, {spatialRank} spatial dims] and int64 indices of its shape, got {x} and {indices}");
        Span<int> unpooledDims = stackalloc int[x.Rank];
        unpooledDims[0] = x.Dim(0);
        unpooledDims[1] = x.Dim(1);
        for (var a = 0; a < spatialRank; a++)
        {
            var stride = strides?[a] ?? 1;
            var padding = pads is null ? 0 : pads[a] + pads[spatialRank + a];
            unpooledDims[2 + a] = checked((int)((x.Dim(2 + a) - 1) * stride - padding + kernelShape[a]));
        }
        Span<int> outputDims = stackalloc int[x.Rank];
        unpooledDims.CopyTo(outputDims);
        if (context.OptionalInput(2) is { } shape)
        {
            if (shape.ElementCount != x.Rank)
                Throw.ShapeMismatch($"MaxUnpool output_shape {shape} must hold {x.Rank} dims");
            Span<long> dims = stackalloc long[x.Rank];
            IntTensors.Read(shape, dims);
            for (var i = 0; i < x.Rank; i++)
            {
                if (dims[i] < unpooledDims[i])
                    Throw.ShapeMismatch($"MaxUnpool output_shape {shape} is smaller than the unpooled {ShapeMath.Format(unpooledDims)}");
                outputDims[i] = checked((int)dims[i]);
            }
        }
        var output = context.Output(0, ElementType.Float, outputDims);
        var y = output.Write<float>();
        y.Clear();
        var values = x.Read<float>();
        var positions = indices.Read<long>();
        var unpooledCount = ShapeMath.Product(unpooledDims);
        var reshaped = !ShapeMath.SameDims(unpooledDims, outputDims);
        for (var i = 0; i < values.Length; i++)
        {
            if ((ulong)positions[i] >= (ulong)unpooledCount)
                Throw.ShapeMismatch($"MaxUnpool index {positions[i]} is outside the unpooled {ShapeMath.Format(unpooledDims)}");
            var position = (int)positions[i];
            y[reshaped ? Reindex(position, unpooledDims, outputDims) : position] = values[i];
        }
    }

    /// <summary>The flat index in <paramref name="to"/> of the coordinates that <paramref name="index"/> has in <paramref name="from"/>.</summary>
    static int Reindex(int index, ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        var result = 0;
        var stride = 1;
        for (var axis = from.Length - 1; axis >= 0; axis--)
        {
            result += index % from[axis] * stride;
            index /= from[axis];
            stride *= to[axis];
        }
        return result;
    }
}
