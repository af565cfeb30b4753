using System.Buffers;
using System.Runtime.InteropServices;
using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Kernels.Nn;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// ConvInteger and QLinearConv (1-D and 2-D, groups, pads/strides/dilations as <see cref="ConvNodeKernel"/>):
/// acc[n, m, oy, ox] = Σ (x[n, c, iy, ix] − x_zero_point) · (w[m, c, ky, kx] − w_zero_point[m]), padding contributing 0.
/// ConvInteger (x, w, x_zero_point, w_zero_point) stores acc as int32; QLinearConv (x, x_scale, x_zero_point, w,
/// w_scale, w_zero_point, y_scale, y_zero_point, B) stores saturate(round_half_even((acc + B[m]) · x_scale · w_scale[m] /
/// y_scale) + y_zero_point). Regular convolutions run im2col (zero point subtracted, widened to int16) + <see cref="Int8Gemm"/>
/// per group with the weights as the packed row operand; with AVX-VNNI, weights whose w − w_zero_point all fit int8 take the
/// u8 × s8 quad route instead (<see cref="QuantizedIm2ColQuads"/> + <see cref="Int8GemmQuads"/>). Depthwise convolutions (one input
/// and one output channel per group) run a direct kernel. Constant weights with a constant zero point are packed once.
/// </summary>
sealed class QuantizedConvKernel(WindowGeometry geometry, int groupCount, bool requantize, TensorData? constantW, TensorData? constantWZero,
    bool wZeroAbsent) : Kernel
{
    readonly bool _cacheWeights = constantW is not null && (constantWZero is not null || wZeroAbsent);
    Int8PackedRows[]? _packed;
    QuadWeightCache? _quads;

    /// <summary>The weights as quads per group, or null when some w − w_zero_point does not fit int8.</summary>
    sealed record QuadWeightCache(Int8QuadRows[]? Groups, int Depth);

    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var w = context.Input(requantize ? 3 : 1);
        var xZero = context.OptionalInput(2);
        var wZero = context.OptionalInput(requantize ? 5 : 3);
        Span<int> outputDims = stackalloc int[x.Rank];
        var p = ConvShape.Resolve(geometry, groupCount, x, w, context.ThreadCount, "quantized Conv", outputDims);

        var xSigned = Int8Operands.IsSigned(x.ElementType, "x");
        var xZeros = xZero is null ? [] : Int8Operands.ZeroPoints(xZero.ElementType, xZero.Bytes, "x's zero point");
        if (xZeros.Length > 1)
            Throw.ShapeMismatch("quantized Conv's x zero point must be a scalar");
        var wZeros = wZero is null ? [] : Int8Operands.ZeroPoints(wZero.ElementType, wZero.Bytes, "w's zero point");
        if (wZeros.Length > 1 && wZeros.Length != p.OutputChannelCount)
            Throw.ShapeMismatch($"w's zero point has {wZeros.Length} values; 1 or {p.OutputChannelCount} expected");

        float[]? multipliers = null;
        int[]? bias = null;
        var yZeroPoint = 0;
        var outputType = ElementType.Int32;
        if (requantize)
        {
            var xScale = Int8Operands.Scales(context.Input(1).ElementType, context.Input(1).Bytes, "x_scale");
            var wScale = Int8Operands.Scales(context.Input(4).ElementType, context.Input(4).Bytes, "w_scale");
            var yScale = Int8Operands.Scales(context.Input(6).ElementType, context.Input(6).Bytes, "y_scale");
            if (xScale.Length != 1 || yScale.Length != 1 || wScale.Length != 1 && wScale.Length != p.OutputChannelCount)
                Throw.ShapeMismatch($"QLinearConv scales: x and y per tensor, w per tensor or per output channel ({p.OutputChannelCount})");
            multipliers = new float[wScale.Length];
            for (var i = 0; i < multipliers.Length; i++)
                multipliers[i] = xScale[0] * wScale[i] / yScale[0];
            var yZero = context.OptionalInput(7);
            outputType = yZero?.ElementType ?? ElementType.UInt8;
            yZeroPoint = yZero is null ? 0 : Int8Operands.ZeroPoints(yZero.ElementType, yZero.Bytes, "y's zero point")[0];
            if (context.OptionalInput(8) is { } b)
            {
                if (b.ElementType != ElementType.Int32 || b.ElementCount != p.OutputChannelCount)
                    Throw.ShapeMismatch($"QLinearConv bias must be int32 [{p.OutputChannelCount}], got {b}");
                bias = b.Read<int>().ToArray();
            }
        }
        var output = context.Output(0, outputType, outputDims);
        var spatial = p.OutputHeight * p.OutputWidth;
        var xZeroPoint = xZeros.Length == 0 ? 0 : xZeros[0];
        var target = new QuantizedConvTarget(output, multipliers, bias, yZeroPoint, p.OutputChannelCount * spatial, spatial);

        if (p.IsDepthwise)
        {
            QuantizedDepthwiseConv.Run(x.Bytes, xSigned, xZeroPoint, w.Bytes, Int8Operands.IsSigned(w.ElementType, "w"), wZeros, p, target,
                QuantizedDepthwiseConv.SumsFor(p));
            return;
        }
        if (Int8Gemm.UsesAvxVnni && QuadWeights(w, wZeros, p) is { } quads)
        {
            RunQuads(x.Bytes, xSigned, xZeroPoint, quads, p, target);
            return;
        }
        var weights = Weights(w, wZeros, p);
        var columnBuffer = ArrayPool<int>.Shared.Rent(Int8PackedColumns.Length(p.PatchSize, spatial));
        try
        {
            var groupInput = p.GroupInputChannels * p.InputHeight * p.InputWidth;
            for (var n = 0; n < p.BatchCount; n++)
            {
                for (var g = 0; g < groupCount; g++)
                {
                    var source = x.Bytes.Slice((n * p.InputChannelCount * p.InputHeight * p.InputWidth) + g * groupInput, groupInput);
                    var columns = xSigned
                        ? QuantizedIm2Col.Pack(MemoryMarshal.Cast<byte, sbyte>(source), xZeroPoint, p, columnBuffer)
                        : QuantizedIm2Col.Pack(source, xZeroPoint, p, columnBuffer);
                    target.Multiply(weights[g], columns, n, g * p.GroupOutputChannels, p.ThreadCount);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(columnBuffer);
        }
    }

    void RunQuads(ReadOnlySpan<byte> x, bool xSigned, int xZeroPoint, Int8QuadRows[] weights, in ConvParameters p, QuantizedConvTarget target)
    {
        var spatial = p.OutputHeight * p.OutputWidth;
        var columnBuffer = ArrayPool<int>.Shared.Rent(Int8QuadColumns.Length(p.PatchSize, spatial));
        try
        {
            var groupInput = p.GroupInputChannels * p.InputHeight * p.InputWidth;
            for (var n = 0; n < p.BatchCount; n++)
            {
                for (var g = 0; g < groupCount; g++)
                {
                    var source = x.Slice((n * p.InputChannelCount * p.InputHeight * p.InputWidth) + g * groupInput, groupInput);
                    var columns = QuantizedIm2ColQuads.Pack(source, xSigned, xZeroPoint, p, columnBuffer, vector: true);
                    target.Multiply(weights[g], columns, n, g * p.GroupOutputChannels, p.ThreadCount);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(columnBuffer);
        }
    }

    Int8QuadRows[]? QuadWeights(RuntimeTensor w, int[] wZeros, in ConvParameters p)
    {
        if (_quads is { } cached && cached.Depth == p.PatchSize)
            return cached.Groups;
        var signed = Int8Operands.IsSigned(w.ElementType, "w");
        var groupRows = p.GroupOutputChannels;
        var groups = new Int8QuadRows[groupCount];
        for (var g = 0; g < groupCount; g++)
        {
            var zeros = wZeros.Length > 1 ? wZeros.AsSpan(g * groupRows, groupRows) : wZeros;
            var bytes = w.Bytes.Slice(g * groupRows * p.PatchSize, groupRows * p.PatchSize);
            var packed = signed
                ? Int8QuadRows.TryPack(MemoryMarshal.Cast<byte, sbyte>(bytes), groupRows, p.PatchSize, p.PatchSize, 1, zeros)
                : Int8QuadRows.TryPack(bytes, groupRows, p.PatchSize, p.PatchSize, 1, zeros);
            if (packed is null)
            {
                groups = null;
                break;
            }
            groups[g] = packed;
        }
        // A reference write is atomic, so concurrent runs at worst pack twice.
        if (_cacheWeights)
            _quads = new QuadWeightCache(groups, p.PatchSize);
        return groups;
    }

    Int8PackedRows[] Weights(RuntimeTensor w, int[] wZeros, in ConvParameters p)
    {
        if (_packed is { } cached && cached[0].Depth == p.PatchSize && cached.Length == groupCount)
            return cached;
        var signed = Int8Operands.IsSigned(w.ElementType, "w");
        var groupRows = p.GroupOutputChannels;
        var packed = new Int8PackedRows[groupCount];
        for (var g = 0; g < groupCount; g++)
        {
            var zeros = wZeros.Length > 1 ? wZeros.AsSpan(g * groupRows, groupRows) : wZeros;
            packed[g] = Int8Operands.PackRows(w.Bytes.Slice(g * groupRows * p.PatchSize, groupRows * p.PatchSize), signed, groupRows, p.PatchSize,
                p.PatchSize, 1, zeros, new int[Int8PackedRows.Length(groupRows, p.PatchSize)]);
        }
        // A reference write is atomic, so concurrent runs at worst pack twice.
        if (_cacheWeights)
            _packed = packed;
        return packed;
    }
}
