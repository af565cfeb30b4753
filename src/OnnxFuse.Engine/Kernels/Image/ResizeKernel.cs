using System.Buffers;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Image;

/// <summary>
/// Resize (opset 10+) and Upsample (float32), nearest or linear, applied one axis at a time (both modes are separable).
/// Output size is ⌊in · scale⌋ from <c>scales</c>, or <c>sizes</c> directly (then scale = out / in). Each output
/// coordinate maps back through the coordinate transformation (half_pixel, pytorch_half_pixel, align_corners,
/// asymmetric, half_pixel_symmetric); nearest rounds it by nearest_mode, linear blends the two neighbours (clamped).
/// </summary>
sealed class ResizeKernel(bool linear, string coordinateMode, string nearestMode, long[]? axes, int scalesInput, int sizesInput,
    float[]? scalesAttribute) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        if (x.ElementType != ElementType.Float)
            Throw.ShapeMismatch($"Resize supports float32 only, got {x.ElementType.DisplayName()}");
        var rank = x.Rank;
        Span<int> outputDims = stackalloc int[rank];
        Span<double> scales = stackalloc double[rank];
        x.Dims.CopyTo(outputDims);
        scales.Fill(1);
        Span<long> sizes = stackalloc long[rank];
        var scaleTensor = scalesInput >= 0 ? context.OptionalInput(scalesInput) : null;
        var sizeTensor = sizesInput >= 0 ? context.OptionalInput(sizesInput) : null;
        var axisCount = axes?.Length ?? rank;
        for (var i = 0; i < axisCount; i++)
        {
            var axis = axes is null ? i : ShapeMath.NormalizeAxis(axes[i], rank);
            if (sizeTensor is { ElementCount: > 0 })
            {
                IntTensors.Read(sizeTensor, sizes);
                outputDims[axis] = (int)sizes[i];
                scales[axis] = (double)outputDims[axis] / x.Dim(axis);
            }
            else
            {
                var scale = scalesAttribute is not null ? scalesAttribute[i] : scaleTensor!.Read<float>()[i];
                scales[axis] = scale;
                outputDims[axis] = (int)Math.Floor(x.Dim(axis) * (double)scale);
            }
        }
        var output = context.Output(0, ElementType.Float, outputDims);
        Compute(x.Read<float>(), x.Dims, scales, output.Write<float>(), outputDims);
    }

    void Compute(ReadOnlySpan<float> input, ReadOnlySpan<int> inputDims, ReadOnlySpan<double> scales, Span<float> output, ReadOnlySpan<int> outputDims)
    {
        var rank = inputDims.Length;
        Span<int> dims = stackalloc int[rank];
        inputDims.CopyTo(dims);
        var largest = Math.Max(ShapeMath.Product(inputDims), output.Length);
        var first = ArrayPool<float>.Shared.Rent(largest);
        var second = ArrayPool<float>.Shared.Rent(largest);
        input.CopyTo(first);
        for (var axis = 0; axis < rank; axis++)
        {
            if (dims[axis] == outputDims[axis] && scales[axis] == 1)
                continue;
            var outerCount = ShapeMath.Product(dims, 0, axis);
            var innerCount = ShapeMath.Product(dims, axis + 1, rank);
            ResampleAxis(first, outerCount, dims[axis], innerCount, outputDims[axis], scales[axis], second);
            dims[axis] = outputDims[axis];
            (first, second) = (second, first);
        }
        first.AsSpan(0, output.Length).CopyTo(output);
        ArrayPool<float>.Shared.Return(first);
        ArrayPool<float>.Shared.Return(second);
    }

    void ResampleAxis(ReadOnlySpan<float> source, int outerCount, int inputSize, int innerCount, int outputSize, double scale, Span<float> target)
    {
        for (var o = 0; o < outputSize; o++)
        {
            // With scales, ONNX measures the resized length before flooring it.
            var position = Original(o, scale, inputSize * scale, inputSize);
            int low, high;
            float weight;
            if (linear)
            {
                var floor = Math.Floor(position);
                low = Math.Clamp((int)floor, 0, inputSize - 1);
                high = Math.Clamp((int)floor + 1, 0, inputSize - 1);
                weight = (float)(position - floor);
            }
            else
            {
                low = high = Math.Clamp(Round(position), 0, inputSize - 1);
                weight = 0;
            }
            for (var outer = 0; outer < outerCount; outer++)
            {
                var a = source.Slice((outer * inputSize + low) * innerCount, innerCount);
                var b = source.Slice((outer * inputSize + high) * innerCount, innerCount);
                var t = target.Slice((outer * outputSize + o) * innerCount, innerCount);
                for (var i = 0; i < innerCount; i++)
                    t[i] = a[i] + (b[i] - a[i]) * weight;
            }
        }
    }

    double Original(int resized, double scale, double resizedLength, int inputSize) => coordinateMode switch
    {
        "asymmetric" => resized / scale,
        "tf_half_pixel_for_nn" => (resized + 0.5) / scale,
        "align_corners" => resizedLength <= 1 ? 0 : resized * (inputSize - 1) / (resizedLength - 1),
        "pytorch_half_pixel" => resizedLength > 1 ? (resized + 0.5) / scale - 0.5 : 0,
        "half_pixel_symmetric" => inputSize / 2.0 * (1 - resizedLength / (scale * inputSize)) + (resized + 0.5) / scale - 0.5,
        _ => (resized + 0.5) / scale - 0.5,
    };

    int Round(double position) => nearestMode switch
    {
        "floor" => (int)Math.Floor(position),
        "ceil" => (int)Math.Ceiling(position),
        "round_prefer_ceil" => (int)Math.Floor(position + 0.5),
        _ => (int)Math.Ceiling(position - 0.5),
    };
}
