using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// Transpose: output axis i is input axis perm[i] (default: reversed). Output axes that stay adjacent and in order
/// in the input are merged, so a trailing run that keeps its order is copied as a block.
/// </summary>
sealed class TransposeKernel(long[]? permutation) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var rank = input.Rank;
        Span<int> perm = stackalloc int[rank];
        for (var i = 0; i < rank; i++)
            perm[i] = permutation is null ? rank - 1 - i : ShapeMath.NormalizeAxis(permutation[i], rank);
        Span<int> dims = stackalloc int[rank];
        for (var i = 0; i < rank; i++)
            dims[i] = input.Dim(perm[i]);
        var output = context.Output(0, input.ElementType, dims);
        var action = new Action(input, output, perm);
        ElementDispatch.Move(input.ElementType, ref action);
    }

    public static void Compute<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputDims, ReadOnlySpan<int> permutation, Span<T> output)
    {
        var rank = inputDims.Length;
        Span<int> inputStrides = stackalloc int[rank];
        ShapeMath.Strides(inputDims, inputStrides);
        // Merged output dimensions with their input strides, innermost last.
        Span<int> dims = stackalloc int[rank];
        Span<int> strides = stackalloc int[rank];
        var merged = 0;
        for (var i = 0; i < rank; i++)
        {
            var d = inputDims[permutation[i]];
            var s = inputStrides[permutation[i]];
            if (d == 1)
                continue;
            if (merged > 0 && strides[merged - 1] == s * d)
            {
                dims[merged - 1] *= d;
                strides[merged - 1] = s;
                continue;
            }
            dims[merged] = d;
            strides[merged] = s;
            merged++;
        }
        if (merged == 0 || (merged == 1 && strides[0] == 1))
        {
            input.CopyTo(output);
            return;
        }
        var block = strides[merged - 1] == 1 ? dims[merged - 1] : 1;
        var outer = block > 1 ? merged - 1 : merged;
        Span<int> counter = stackalloc int[outer];
        counter.Clear();
        var source = 0;
        for (var target = 0; target < output.Length; target += block)
        {
            if (block > 1)
                input.Slice(source, block).CopyTo(output.Slice(target, block));
            else
                output[target] = input[source];
            for (var axis = outer - 1; axis >= 0; axis--)
            {
                source += strides[axis];
                if (++counter[axis] < dims[axis])
                    break;
                source -= strides[axis] * dims[axis];
                counter[axis] = 0;
            }
        }
    }

    readonly ref struct Action(RuntimeTensor input, RuntimeTensor output, ReadOnlySpan<int> permutation) : IMoveAction
    {
        readonly ReadOnlySpan<int> _permutation = permutation;

        public void Invoke<T>() where T : unmanaged => Compute(input.Read<T>(), input.Dims, _permutation, output.Write<T>());
    }
}
