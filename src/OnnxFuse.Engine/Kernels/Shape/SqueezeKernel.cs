using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Shape;

/// <summary>
/// Squeeze: drops the listed unit axes (attribute before opset 13, input 1 after), or every unit axis when none
/// are given; shares the input's buffer.
/// </summary>
sealed class SqueezeKernel(long[]? axesAttribute) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        Span<long> axes = stackalloc long[ShapeMath.MaxRank];
        var axisCount = axesAttribute is not null ? CopyAxes(axesAttribute, axes)
            : context.OptionalInput(1) is { } axesInput ? IntTensors.Read(axesInput, axes) : -1;
        Span<bool> drop = stackalloc bool[input.Rank];
        drop.Clear();
        if (axisCount < 0)
        {
            for (var i = 0; i < input.Rank; i++)
                drop[i] = input.Dim(i) == 1;
        }
        else
        {
            for (var i = 0; i < axisCount; i++)
            {
                var axis = ShapeMath.NormalizeAxis(axes[i], input.Rank);
                if (input.Dim(axis) != 1)
                    Throw.ShapeMismatch($"Squeeze axis {axes[i]} has size {input.Dim(axis)}, not 1");
                drop[axis] = true;
            }
        }
        Span<int> dims = stackalloc int[input.Rank];
        var rank = 0;
        for (var i = 0; i < input.Rank; i++)
            if (!drop[i])
                dims[rank++] = input.Dim(i);
        context.AliasOutput(0, input, dims[..rank]);
    }

    static int CopyAxes(long[] source, Span<long> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }
}
