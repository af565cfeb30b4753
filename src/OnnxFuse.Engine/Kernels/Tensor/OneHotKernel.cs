using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// OneHot: for indices of shape S, an output of shape S with a new dimension of size depth inserted at <c>axis</c>
/// (default −1, last), holding values[1] where the position along it equals the index and values[0] elsewhere.
/// Negative indices count from depth; indices outside [−depth, depth) give a line of values[0]. depth is a scalar of
/// any numeric type, values a two-element tensor of any type (copied as bytes).
/// </summary>
sealed class OneHotKernel(long axis) : Kernel
{
    public override void Run(KernelContext context)
    {
        var indices = context.Input(0);
        var depthValue = IntTensors.ScalarAsDouble(context.Input(1));
        var values = context.Input(2);
        if (values.ElementCount != 2)
            Throw.ShapeMismatch($"OneHot values must hold [off, on], got {values}");
        var depth = (int)depthValue;
        if (depth <= 0)
            Throw.ShapeMismatch($"OneHot depth must be positive, got {depthValue}");
        var rank = indices.Rank + 1;
        var normalizedAxis = ShapeMath.NormalizeAxis(axis, rank);
        Span<int> dims = stackalloc int[rank];
        indices.Dims[..normalizedAxis].CopyTo(dims);
        dims[normalizedAxis] = depth;
        indices.Dims[normalizedAxis..].CopyTo(dims[(normalizedAxis + 1)..]);
        var output = context.Output(0, values.ElementType, dims);
        var size = values.ElementSize;
        var off = values.Bytes[..size];
        var on = values.Bytes.Slice(size, size);
        var target = output.Write<byte>();
        for (var i = 0; i < output.ElementCount; i++)
            off.CopyTo(target.Slice(i * size, size));
        var innerCount = ShapeMath.Product(indices.Dims, normalizedAxis, indices.Rank);
        for (var i = 0; i < indices.ElementCount; i++)
        {
            var index = (long)IndexAt(indices, i);
            if (index < 0)
                index += depth;
            if (index < 0 || index >= depth)
                continue;
            var (outer, inner) = (i / innerCount, i % innerCount);
            on.CopyTo(target.Slice(((outer * depth + (int)index) * innerCount + inner) * size, size));
        }
    }

    static double IndexAt(RuntimeTensor indices, int i) => indices.ElementType switch
    {
        Ir.Tensors.ElementType.Int64 => indices.Read<long>()[i],
        Ir.Tensors.ElementType.Int32 => indices.Read<int>()[i],
        Ir.Tensors.ElementType.Float => Math.Truncate(indices.Read<float>()[i]),
        Ir.Tensors.ElementType.Double => Math.Truncate(indices.Read<double>()[i]),
        _ => Throw.ShapeMismatch<double>($"OneHot indices of type {indices.ElementType} are not supported"),
    };
}
