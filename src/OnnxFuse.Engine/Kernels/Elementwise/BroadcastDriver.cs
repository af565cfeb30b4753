using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>
/// Applies a binary op with numpy broadcasting. Dimensions that both operands read the same way are merged,
/// so the innermost run is as long as possible and goes to the op's span form (TensorPrimitives underneath);
/// an odometer walks the remaining outer dimensions.
/// </summary>
static class BroadcastDriver
{
    public static void Run<T, TResult, TOp>(ReadOnlySpan<T> left, ReadOnlySpan<int> leftDims, ReadOnlySpan<T> right,
        ReadOnlySpan<int> rightDims, Span<TResult> destination, ReadOnlySpan<int> outputDims)
        where TOp : IBinaryOp<T, TResult>
    {
        var count = destination.Length;
        if (count == 0)
            return;
        if (left.Length == count && right.Length == count)
        {
            TOp.Invoke(left, right, destination);
            return;
        }
        if (right.Length == 1 && left.Length == count)
        {
            TOp.Invoke(left, right[0], destination);
            return;
        }
        if (left.Length == 1 && right.Length == count)
        {
            TOp.Invoke(left[0], right, destination);
            return;
        }

        var rank = outputDims.Length;
        Span<int> leftStrides = stackalloc int[rank];
        Span<int> rightStrides = stackalloc int[rank];
        ShapeMath.BroadcastStrides(leftDims, outputDims, leftStrides);
        ShapeMath.BroadcastStrides(rightDims, outputDims, rightStrides);

        // Merge from the innermost dimension outwards while both operands keep walking (or staying) linearly.
        Span<int> dims = stackalloc int[rank];
        Span<int> lStrides = stackalloc int[rank];
        Span<int> rStrides = stackalloc int[rank];
        var merged = 0;
        for (var i = rank - 1; i >= 0; i--)
        {
            var d = outputDims[i];
            if (d == 1)
                continue;
            if (merged > 0 && leftStrides[i] == lStrides[merged - 1] * dims[merged - 1]
                && rightStrides[i] == rStrides[merged - 1] * dims[merged - 1])
            {
                dims[merged - 1] *= d;
                continue;
            }
            dims[merged] = d;
            lStrides[merged] = leftStrides[i];
            rStrides[merged] = rightStrides[i];
            merged++;
        }
        // dims[0] is now the innermost run; the rest are outer dimensions, innermost first.
        var inner = dims[0];
        var innerLeft = lStrides[0];
        var innerRight = rStrides[0];
        Span<int> counter = stackalloc int[merged];
        counter.Clear();
        int leftOffset = 0, rightOffset = 0;
        for (var outputOffset = 0; outputOffset < count; outputOffset += inner)
        {
            var target = destination.Slice(outputOffset, inner);
            if (innerLeft != 0 && innerRight != 0)
                TOp.Invoke(left.Slice(leftOffset, inner), right.Slice(rightOffset, inner), target);
            else if (innerLeft != 0)
                TOp.Invoke(left.Slice(leftOffset, inner), right[rightOffset], target);
            else if (innerRight != 0)
                TOp.Invoke(left[leftOffset], right.Slice(rightOffset, inner), target);
            else
            {
                TOp.Invoke(left.Slice(leftOffset, 1), right[rightOffset], target[..1]);
                target.Fill(target[0]);
            }
            for (var axis = 1; axis < merged; axis++)
            {
                leftOffset += lStrides[axis];
                rightOffset += rStrides[axis];
                if (++counter[axis] < dims[axis])
                    break;
                leftOffset -= lStrides[axis] * dims[axis];
                rightOffset -= rStrides[axis] * dims[axis];
                counter[axis] = 0;
            }
        }
    }
}
