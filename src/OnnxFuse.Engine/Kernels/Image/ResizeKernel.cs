using System.Buffers;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Image;

/// <summary>
/// Resize (opset 10+) and Upsample (float32), nearest, linear or cubic, applied one axis at a time (all three modes
/// are separable). Output size is ⌊in · scale⌋ from <c>scales</c>, or <c>sizes</c> directly (then scale = out / in).
/// Each output coordinate maps back through the coordinate transformation (half_pixel, pytorch_half_pixel,
/// align_corners, asymmetric, half_pixel_symmetric, tf_crop_and_resize over the <c>roi</c> box); nearest rounds it by
/// nearest_mode, linear blends the two neighbours, cubic the four around it with Keys' kernel of parameter
/// <c>cubic_coeff_a</c> (neighbours clamped to the edge, or with exclude_outside dropped and the rest renormalized).
/// tf_crop_and_resize writes <c>extrapolation_value</c> where the coordinate falls outside the input.
/// </summary>
sealed class ResizeKernel(ResizeMode mode, string coordinateMode, string nearestMode, long[]? axes, int scalesInput, int sizesInput,
    float[]? scalesAttribute) : Kernel
{
    /// <summary>Cubic's kernel parameter A (−0.75 by default, −0.5 for TensorFlow's bicubic).</summary>
    public float CubicCoefficient { get; init; } = -0.75f;

    public bool ExcludeOutside { get; init; }

    public float ExtrapolationValue { get; init; }

    /// <summary>The input holding tf_crop_and_resize's roi box [starts…, ends…] (normalized), or −1.</summary>
    public int RoiInput { get; init; } = -1;

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
        Span<double> roiStart = stackalloc double[rank];
        Span<double> roiEnd = stackalloc double[rank];
        roiStart.Clear();
        roiEnd.Fill(1);
        if (RoiInput >= 0 && context.OptionalInput(RoiInput) is { ElementCount: > 0 } roi)
        {
            if (roi.ElementCount != 2 * axisCount)
                Throw.ShapeMismatch($"Resize roi {roi} must hold a start and an end for each of the {axisCount} resized axes");
            for (var i = 0; i < axisCount; i++)
            {
                var axis = axes is null ? i : ShapeMath.NormalizeAxis(axes[i], rank);
                roiStart[axis] = ReadFloat(roi, i);
                roiEnd[axis] = ReadFloat(roi, axisCount + i);
            }
        }
        var output = context.Output(0, ElementType.Float, outputDims);
        Compute(x.Read<float>(), x.Dims, scales, roiStart, roiEnd, output.Write<float>(), outputDims);
    }

    static double ReadFloat(RuntimeTensor tensor, int index) =>
        tensor.ElementType == ElementType.Double ? tensor.Read<double>()[index] : tensor.Read<float>()[index];

    void Compute(ReadOnlySpan<float> input, ReadOnlySpan<int> inputDims, ReadOnlySpan<double> scales, ReadOnlySpan<double> roiStart,
        ReadOnlySpan<double> roiEnd, Span<float> output, ReadOnlySpan<int> outputDims)
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
            if (dims[axis] == outputDims[axis] && scales[axis] == 1 && roiStart[axis] == 0 && roiEnd[axis] == 1)
                continue;
            var outerCount = ShapeMath.Product(dims, 0, axis);
            var innerCount = ShapeMath.Product(dims, axis + 1, rank);
            ResampleAxis(first, outerCount, dims[axis], innerCount, outputDims[axis], scales[axis], (roiStart[axis], roiEnd[axis]), second);
            dims[axis] = outputDims[axis];
            (first, second) = (second, first);
        }
        first.AsSpan(0, output.Length).CopyTo(output);
        ArrayPool<float>.Shared.Return(first);
        ArrayPool<float>.Shared.Return(second);
    }

    void ResampleAxis(ReadOnlySpan<float> source, int outerCount, int inputSize, int innerCount, int outputSize, double scale,
        (double Start, double End) roi, Span<float> target)
    {
        Span<int> taps = stackalloc int[4];
        Span<float> weights = stackalloc float[4];
        for (var o = 0; o < outputSize; o++)
        {
            // With scales, ONNX measures the resized length before flooring it.
            var position = coordinateMode == "tf_crop_and_resize"
                ? CropAndResize(o, outputSize, inputSize, roi)
                : Original(o, scale, inputSize * scale, inputSize);
            if (coordinateMode == "tf_crop_and_resize" && (position < 0 || position > inputSize - 1))
            {
                for (var outer = 0; outer < outerCount; outer++)
                    target.Slice((outer * outputSize + o) * innerCount, innerCount).Fill(ExtrapolationValue);
                continue;
            }
            var tapCount = Taps(position, inputSize, taps, weights);
            for (var outer = 0; outer < outerCount; outer++)
            {
                var t = target.Slice((outer * outputSize + o) * innerCount, innerCount);
                t.Clear();
                for (var k = 0; k < tapCount; k++)
                {
                    var s = source.Slice((outer * inputSize + taps[k]) * innerCount, innerCount);
                    var w = weights[k];
                    for (var i = 0; i < innerCount; i++)
                        t[i] += s[i] * w;
                }
            }
        }
    }

    /// <summary>The input indices and weights that make the output at <paramref name="position"/>; returns how many.</summary>
    int Taps(double position, int inputSize, Span<int> taps, Span<float> weights)
    {
        switch (mode)
        {
            case ResizeMode.Nearest:
                taps[0] = Math.Clamp(Round(position), 0, inputSize - 1);
                weights[0] = 1;
                return 1;
            case ResizeMode.Linear:
                {
                    var floor = Math.Floor(position);
                    var weight = (float)(position - floor);
                    taps[0] = Math.Clamp((int)floor, 0, inputSize - 1);
                    taps[1] = Math.Clamp((int)floor + 1, 0, inputSize - 1);
                    weights[0] = 1 - weight;
                    weights[1] = weight;
                    return 2;
                }
            default:
                {
                    var floor = (int)Math.Floor(position);
                    var ratio = position - floor;
                    var sum = 0.0;
                    for (var k = 0; k < 4; k++)
                    {
                        var index = floor - 1 + k;
                        var weight = CubicWeight(k - 1 - ratio);
                        if (ExcludeOutside && (index < 0 || index >= inputSize))
                            weight = 0;
                        taps[k] = Math.Clamp(index, 0, inputSize - 1);
                        weights[k] = (float)weight;
                        sum += weight;
                    }
                    if (ExcludeOutside && sum != 0)
                        for (var k = 0; k < 4; k++)
                            weights[k] = (float)(weights[k] / sum);
                    return 4;
                }
        }
    }

    /// <summary>Keys' cubic convolution kernel at distance <paramref name="distance"/> from the sample.</summary>
    double CubicWeight(double distance)
    {
        double a = CubicCoefficient;
        var x = Math.Abs(distance);
        if (x <= 1)
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2)
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        return 0;
    }

    /// <summary>tf_crop_and_resize: output <paramref name="resized"/> spread over the roi box [start, end] of the input.</summary>
    static double CropAndResize(int resized, int outputSize, int inputSize, (double Start, double End) roi) => outputSize > 1
        ? roi.Start * (inputSize - 1) + resized * (roi.End - roi.Start) * (inputSize - 1) / (outputSize - 1)
        : 0.5 * (roi.Start + roi.End) * (inputSize - 1);

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
