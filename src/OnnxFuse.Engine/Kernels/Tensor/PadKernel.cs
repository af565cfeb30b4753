using System.Buffers.Binary;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// Pad: pads [x1_begin, x2_begin, …, x1_end, x2_end, …] from input 1 (opset 11+) or the <c>pads</c> attribute
/// (before 11), restricted to <c>axes</c> (input 3, opset 18). Modes: constant (input 2 or the <c>value</c>
/// attribute), reflect (mirror without the edge), edge (repeat the edge).
/// </summary>
sealed class PadKernel(string mode, long[]? padsAttribute, float valueAttribute) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var rank = input.Rank;
        Span<long> given = stackalloc long[2 * ShapeMath.MaxRank];
        int givenCount;
        if (padsAttribute is not null)
        {
            padsAttribute.CopyTo(given);
            givenCount = padsAttribute.Length;
        }
        else
            givenCount = IntTensors.Read(context.Input(1), given);
        Span<int> padBegin = stackalloc int[rank];
        padBegin.Clear();
        Span<int> padEnd = stackalloc int[rank];
        padEnd.Clear();
        Span<long> axes = stackalloc long[ShapeMath.MaxRank];
        var axisCount = context.OptionalInput(3) is { } axesInput ? IntTensors.Read(axesInput, axes) : -1;
        var padAxes = axisCount >= 0 ? axisCount : rank;
        for (var i = 0; i < padAxes && i < givenCount / 2; i++)
        {
            var axis = axisCount >= 0 ? ShapeMath.NormalizeAxis(axes[i], rank) : i;
            padBegin[axis] = (int)given[i];
            padEnd[axis] = (int)given[i + padAxes];
        }
        Span<int> dims = stackalloc int[rank];
        for (var d = 0; d < rank; d++)
            dims[d] = input.Dim(d) + padBegin[d] + padEnd[d];
        var output = context.Output(0, input.ElementType, dims);

        // The pad value as the element's bytes.
        Span<byte> fill = stackalloc byte[8];
        fill.Clear();
        if (context.OptionalInput(2) is { ElementCount: > 0 } valueInput)
            valueInput.Bytes[..input.ElementSize].CopyTo(fill);
        else if (input.ElementType == ElementType.Float)
            BinaryPrimitives.WriteSingleLittleEndian(fill, valueAttribute);
        var action = new Action(input, output, padBegin, mode, fill);
        ElementDispatch.Move(input.ElementType, ref action);
    }

    public static void Compute<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputDims, ReadOnlySpan<int> padBegin, string mode, T value,
        Span<T> output, ReadOnlySpan<int> outputDims)
    {
        var rank = outputDims.Length;
        Span<int> strides = stackalloc int[rank];
        ShapeMath.Strides(inputDims, strides);
        Span<int> counter = stackalloc int[rank];
        counter.Clear();
        for (var target = 0; target < output.Length; target++)
        {
            var source = 0;
            var outside = false;
            for (var axis = 0; axis < rank; axis++)
            {
                var index = counter[axis] - padBegin[axis];
                var size = inputDims[axis];
                if ((uint)index >= (uint)size)
                {
                    if (mode == "constant" || size == 0)
                    {
                        outside = true;
                        break;
                    }
                    index = mode == "edge" ? Math.Clamp(index, 0, size - 1) : Reflect(index, size);
                }
                source += index * strides[axis];
            }
            output[target] = outside ? value : input[source];
            for (var axis = rank - 1; axis >= 0; axis--)
            {
                if (++counter[axis] < outputDims[axis])
                    break;
                counter[axis] = 0;
            }
        }
    }

    static int Reflect(int index, int size)
    {
        if (size == 1)
            return 0;
        var period = 2 * (size - 1);
        index %= period;
        if (index < 0)
            index += period;
        return index < size ? index : period - index;
    }

    readonly ref struct Action(RuntimeTensor input, RuntimeTensor output, ReadOnlySpan<int> padBegin, string mode, ReadOnlySpan<byte> fill) : IMoveAction
    {
        readonly ReadOnlySpan<int> _padBegin = padBegin;
        readonly ReadOnlySpan<byte> _fill = fill;

        public void Invoke<T>() where T : unmanaged =>
            Compute(input.Read<T>(), input.Dims, _padBegin, mode, System.Runtime.InteropServices.MemoryMarshal.Read<T>(_fill), output.Write<T>(), output.Dims);
    }
}
