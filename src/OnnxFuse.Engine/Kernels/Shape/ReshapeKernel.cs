using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Shape;

/// <summary>
/// Reshape: the output shares the input's buffer under the shape from input 1 (or the opset-1 <c>shape</c>
/// attribute). 0 copies the input's dimension at that position (unless allowzero), −1 is inferred.
/// </summary>
sealed class ReshapeKernel(long[]? shapeAttribute, bool allowZero) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        Span<long> requested = stackalloc long[ShapeMath.MaxRank];
        var rank = shapeAttribute is not null ? Copy(shapeAttribute, requested) : IntTensors.Read(context.Input(1), requested);
        Span<int> dims = stackalloc int[rank];
        Resolve(input.Dims, requested[..rank], allowZero, dims);
        context.AliasOutput(0, input, dims);
    }

    static int Copy(long[] source, Span<long> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    /// <summary>Resolves 0 and −1 entries of <paramref name="requested"/> against <paramref name="inputDims"/>.</summary>
    public static void Resolve(ReadOnlySpan<int> inputDims, ReadOnlySpan<long> requested, bool allowZero, Span<int> dims)
    {
        var inferred = -1;
        var known = 1L;
        for (var i = 0; i < requested.Length; i++)
        {
            var value = requested[i];
            if (value == 0 && !allowZero)
                value = i < inputDims.Length ? inputDims[i] : Throw.ShapeMismatch<long>($"Reshape copies dimension {i}, but the input has rank {inputDims.Length}");
            if (value == -1)
            {
                if (inferred >= 0)
                    Throw.ShapeMismatch("Reshape has more than one -1");
                inferred = i;
                continue;
            }
            if (value < 0)
                Throw.ShapeMismatch($"Reshape has invalid dimension {value}");
            dims[i] = (int)value;
            known *= value;
        }
        var count = ShapeMath.Product(inputDims);
        if (inferred >= 0)
        {
            if (known == 0 || count % known != 0)
                Throw.ShapeMismatch($"cannot reshape {ShapeMath.Format(inputDims)} to [{string.Join(',', requested.ToArray())}]");
            dims[inferred] = (int)(count / known);
        }
        else if (known != count)
            Throw.ShapeMismatch($"cannot reshape {ShapeMath.Format(inputDims)} ({count} elements) to [{string.Join(',', requested.ToArray())}]");
    }
}
