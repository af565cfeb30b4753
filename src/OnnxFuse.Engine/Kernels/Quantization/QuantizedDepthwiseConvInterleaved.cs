using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// <see cref="QuantizedDepthwiseConv"/>'s 3×3 channels eight at a time, one channel per Vector256 lane: the eight input planes are
/// transposed into one zero-padded scratch plane of eight-float pixels (x − x_zero_point), each output pixel is nine whole-vector
/// multiply-adds with per-lane taps starting from the per-lane bias, and the sums are requantized and transposed back into the
/// eight output planes. Exact for the reason <see cref="QuantizedDepthwiseConvFloat"/> is, with the same requantization chain as
/// <see cref="RequantizedPlaneSink{T}"/>. A plane's padding and row costs are paid once per eight channels, no lane is lost past the
/// end of a 7- or 14-wide row, stride 2 needs no de-interleaving, and the nine tap vectors stay in registers, which wins on
/// MobileNet's small planes. Channels that do not fill a group of eight, groups with a bias past
/// <see cref="QuantizedDepthwiseConvFloat.MaxFoldedBias"/> and int32 outputs (ConvInteger) run <see cref="QuantizedDepthwiseConvFloat"/>.
/// </summary>
static unsafe class QuantizedDepthwiseConvInterleaved
{
    const int Lanes = 8;

    public static bool Supports(in ConvParameters p) => QuantizedDepthwiseConvFloat.Supports(p);

    /// <summary>Floats of scratch <see cref="Run"/> needs: the interleaved padded plane, the sums, and the float route's scratch.</summary>
    public static int ScratchLength(in ConvParameters p) =>
        PaddedLength(p) + SumsLength(p) + QuantizedDepthwiseConvFloat.ScratchLength(p);

    static int PaddedLength(in ConvParameters p) =>
        (p.InputHeight + p.PadTop + p.PadBottom) * (p.InputWidth + p.PadLeft + p.PadRight) * Lanes;

    /// <summary>The output plane's pixels rounded up to a whole block of eight, eight sums each.</summary>
    static int SumsLength(in ConvParameters p) => (p.OutputHeight * p.OutputWidth + Lanes - 1) / Lanes * Lanes * Lanes;

    /// <summary>
    /// Output channels [first, end) of batch × channels into <paramref name="target"/>, as <see cref="QuantizedDepthwiseConvFloat.Run"/>
    /// computes them; <paramref name="scratch"/> holds <see cref="ScratchLength"/> floats.
    /// </summary>
    public static void Run(byte* x, bool xSigned, int xZeroPoint, byte* w, bool wSigned, ReadOnlySpan<int> wZeros, in ConvParameters p,
        QuantizedConvTarget target, float* scratch, int first, int end)
    {
        switch (target.OutputType)
        {
            case ElementType.UInt8:
                fixed (byte* y = target.Write<byte>())
                    Groups(x, xSigned, xZeroPoint, w, wSigned, wZeros, p, target, y, scratch, first, end);
                break;
            case ElementType.Int8:
                fixed (sbyte* y = target.Write<sbyte>())
                    Groups(x, xSigned, xZeroPoint, w, wSigned, wZeros, p, target, y, scratch, first, end);
                break;
            default:
                QuantizedDepthwiseConvFloat.Run(x, xSigned, xZeroPoint, w, wSigned, wZeros, p, target, scratch, first, end);
                break;
        }
    }

    [SkipLocalsInit]
    static void Groups<TOutput>(byte* x, bool xSigned, int xZeroPoint, byte* w, bool wSigned, ReadOnlySpan<int> wZeros, in ConvParameters p,
        QuantizedConvTarget target, TOutput* y, float* scratch, int first, int end)
        where TOutput : unmanaged
    {
        var padded = scratch;
        var sums = padded + PaddedLength(p);
        var floatScratch = sums + SumsLength(p);
        // Only the interior is written per group, so the padding stays zero for every group of the call.
        new Span<float>(padded, PaddedLength(p)).Clear();
        var taps = stackalloc float[9 * Lanes];
        var channels = p.OutputChannelCount;
        var inputPlane = p.InputHeight * p.InputWidth;
        var outputPlane = p.OutputHeight * p.OutputWidth;
        var item = first;
        while (item < end)
        {
            var n = item / channels;
            var c = item - n * channels;
            if (c + Lanes > channels || item + Lanes > end || !BiasesFold(target, c))
            {
                QuantizedDepthwiseConvFloat.Run(x, xSigned, xZeroPoint, w, wSigned, wZeros, p, target, floatScratch, item, item + 1);
                item++;
                continue;
            }
            for (var lane = 0; lane < Lanes; lane++)
            {
                var zero = wZeros.Length == 0 ? 0 : wZeros[wZeros.Length == 1 ? 0 : c + lane];
                var channelTaps = w + (c + lane) * 9;
                for (var t = 0; t < 9; t++)
                    taps[t * Lanes + lane] = (wSigned ? (sbyte)channelTaps[t] : channelTaps[t]) - zero;
            }
            var source = x + ((long)n * p.InputChannelCount + c) * inputPlane;
            if (xSigned)
                Transpose((sbyte*)source, xZeroPoint, p, padded);
            else
                Transpose(source, xZeroPoint, p, padded);
            var start = Avx.ConvertToVector256Single(Vector256.Create(target.Bias(c), target.Bias(c + 1), target.Bias(c + 2), target.Bias(c + 3),
                target.Bias(c + 4), target.Bias(c + 5), target.Bias(c + 6), target.Bias(c + 7)));
            Sums(padded, taps, start, p, sums);
            var scale = Vector256.Create(target.Multiplier(c), target.Multiplier(c + 1), target.Multiplier(c + 2), target.Multiplier(c + 3),
                target.Multiplier(c + 4), target.Multiplier(c + 5), target.Multiplier(c + 6), target.Multiplier(c + 7));
            Requantize(sums, scale, target.ZeroPoint, outputPlane, y + (long)item * outputPlane);
            item += Lanes;
        }
    }

    static bool BiasesFold(QuantizedConvTarget target, int c)
    {
        for (var lane = 0; lane < Lanes; lane++)
        {
            if (target.Bias(c + lane) is < -QuantizedDepthwiseConvFloat.MaxFoldedBias or > QuantizedDepthwiseConvFloat.MaxFoldedBias)
                return false;
        }
        return true;
    }

    /// <summary>
    /// Eight planes [H × W] of T (uint8 or int8), <paramref name="source"/> the first, each pixel's eight values minus the zero point
    /// written as eight floats at its place in the padded plane; eight pixels at a time through an 8×8 byte transpose.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Transpose<T>(T* source, int zeroPoint, in ConvParameters p, float* padded)
        where T : unmanaged
    {
        var (width, plane) = (p.InputWidth, p.InputHeight * p.InputWidth);
        var pitch = width + p.PadLeft + p.PadRight;
        var bytes = (byte*)source;
        var zero = Vector256.Create(zeroPoint);
        // The pixel's place: row iy + padTop, column ix + padLeft, advanced pixel by pixel.
        var ix = 0;
        var row = padded + ((nint)p.PadTop * pitch + p.PadLeft) * Lanes;
        var pixel = 0;
        for (; pixel + Lanes <= plane; pixel += Lanes)
        {
            var a0 = Sse2.UnpackLow(Load8(bytes + pixel), Load8(bytes + plane + pixel));
            var a1 = Sse2.UnpackLow(Load8(bytes + 2 * plane + pixel), Load8(bytes + 3 * plane + pixel));
            var a2 = Sse2.UnpackLow(Load8(bytes + 4 * plane + pixel), Load8(bytes + 5 * plane + pixel));
            var a3 = Sse2.UnpackLow(Load8(bytes + 6 * plane + pixel), Load8(bytes + 7 * plane + pixel));
            var b0 = Sse2.UnpackLow(a0.AsInt16(), a1.AsInt16());
            var b1 = Sse2.UnpackHigh(a0.AsInt16(), a1.AsInt16());
            var b2 = Sse2.UnpackLow(a2.AsInt16(), a3.AsInt16());
            var b3 = Sse2.UnpackHigh(a2.AsInt16(), a3.AsInt16());
            // Pixel pairs (0, 1), (2, 3), (4, 5), (6, 7): eight channel bytes each.
            StorePair<T>(Sse2.UnpackLow(b0.AsInt32(), b2.AsInt32()).AsByte(), zero, ref ix, ref row, width, pitch);
            StorePair<T>(Sse2.UnpackHigh(b0.AsInt32(), b2.AsInt32()).AsByte(), zero, ref ix, ref row, width, pitch);
            StorePair<T>(Sse2.UnpackLow(b1.AsInt32(), b3.AsInt32()).AsByte(), zero, ref ix, ref row, width, pitch);
            StorePair<T>(Sse2.UnpackHigh(b1.AsInt32(), b3.AsInt32()).AsByte(), zero, ref ix, ref row, width, pitch);
        }
        for (; pixel < plane; pixel++)
        {
            var target = row + (nint)ix * Lanes;
            for (var lane = 0; lane < Lanes; lane++)
                target[lane] = (typeof(T) == typeof(sbyte) ? (sbyte)bytes[lane * plane + pixel] : bytes[lane * plane + pixel]) - zeroPoint;
            Advance(ref ix, ref row, width, pitch);
        }
    }

    /// <summary>Two pixels' eight channel bytes (low, then high half) as floats minus the zero point at their places.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StorePair<T>(Vector128<byte> pair, Vector256<int> zero, ref int ix, ref float* row, int width, int pitch)
        where T : unmanaged
    {
        Avx.ConvertToVector256Single(Widen<T>(pair) - zero).Store(row + (nint)ix * Lanes);
        Advance(ref ix, ref row, width, pitch);
        Avx.ConvertToVector256Single(Widen<T>(Sse2.UnpackHigh(pair.AsInt64(), pair.AsInt64()).AsByte()) - zero).Store(row + (nint)ix * Lanes);
        Advance(ref ix, ref row, width, pitch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Advance(ref int ix, ref float* row, int width, int pitch)
    {
        if (++ix == width)
        {
            ix = 0;
            row += (nint)pitch * Lanes;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<byte> Load8(byte* source) => Vector128.CreateScalarUnsafe(*(long*)source).AsByte();

    /// <summary>The low eight bytes as int32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<int> Widen<T>(Vector128<byte> bytes)
        where T : unmanaged =>
        typeof(T) == typeof(sbyte) ? Avx2.ConvertToVector256Int32(bytes.AsSByte()) : Avx2.ConvertToVector256Int32(bytes);

    /// <summary>sums[oy · OW + ox] = start + Σ_{ky,kx} taps[ky · 3 + kx] ⊙ padded[s·oy + ky, s·ox + kx], eight channels per vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Sums(float* padded, float* taps, Vector256<float> start, in ConvParameters p, float* sums)
    {
        // The geometry first: its property getters are calls, and a vector live across a call is kept on the stack (no ymm register
        // survives a call on x64 Unix), which would reload every tap on every pixel.
        var (outputHeight, outputWidth, stride) = (p.OutputHeight, p.OutputWidth, p.StrideWidth);
        var pitch = (nint)(p.InputWidth + p.PadLeft + p.PadRight) * Lanes;
        var step = (nint)stride * Lanes;
        var w0 = Vector256.Load(taps);
        var w1 = Vector256.Load(taps + Lanes);
        var w2 = Vector256.Load(taps + 2 * Lanes);
        var w3 = Vector256.Load(taps + 3 * Lanes);
        var w4 = Vector256.Load(taps + 4 * Lanes);
        var w5 = Vector256.Load(taps + 5 * Lanes);
        var w6 = Vector256.Load(taps + 6 * Lanes);
        var w7 = Vector256.Load(taps + 7 * Lanes);
        var w8 = Vector256.Load(taps + 8 * Lanes);
        var target = sums;
        for (var oy = 0; oy < outputHeight; oy++)
        {
            var r0 = padded + oy * stride * pitch;
            var r1 = r0 + pitch;
            var r2 = r1 + pitch;
            for (var ox = 0; ox < outputWidth; ox++, r0 += step, r1 += step, r2 += step, target += Lanes)
            {
                var sum = Vector256.MultiplyAddEstimate(Vector256.Load(r0), w0, start);
                sum = Vector256.MultiplyAddEstimate(Vector256.Load(r0 + Lanes), w1, sum);
                sum = Vector256.MultiplyAddEstimate(Vector256.Load(r0 + 2 * Lanes), w2, sum);
                sum = Vector256.MultiplyAddEstimate(Vector256.Load(r1), w3, sum);
                sum = Vector256.MultiplyAddEstimate(Vector256.Load(r1 + Lanes), w4, sum);
                sum = Vector256.MultiplyAddEstimate(Vector256.Load(r1 + 2 * Lanes), w5, sum);
                sum = Vector256.MultiplyAddEstimate(Vector256.Load(r2), w6, sum);
                sum = Vector256.MultiplyAddEstimate(Vector256.Load(r2 + Lanes), w7, sum);
                Vector256.MultiplyAddEstimate(Vector256.Load(r2 + 2 * Lanes), w8, sum).Store(target);
            }
        }
    }

    /// <summary>
    /// The sums of <paramref name="pixels"/> pixels, eight channels each, requantized into the eight output planes starting at
    /// <paramref name="output"/> (planes <paramref name="pixels"/> apart), eight pixels at a time; the last 1–7 through a block copy.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Requantize<T>(float* sums, Vector256<float> scale, int zeroPoint, int pixels, T* output)
        where T : unmanaged
    {
        var zero = Vector256.Create((short)zeroPoint);
        var pixel = 0;
        for (; pixel + Lanes <= pixels; pixel += Lanes)
            Block<T>((byte*)(output + pixel), pixels, sums + pixel * Lanes, scale, zero);
        if (pixel < pixels)
        {
            // The block's sums past the plane's last pixel are whatever the buffer held; their bytes are dropped.
            var block = stackalloc byte[Lanes * Lanes];
            Block<T>(block, Lanes, sums + pixel * Lanes, scale, zero);
            for (var lane = 0; lane < Lanes; lane++)
            {
                for (var i = pixel; i < pixels; i++)
                    ((byte*)output)[lane * pixels + i] = block[lane * Lanes + i - pixel];
            }
        }
    }

    /// <summary>
    /// Eight pixels × eight channels: each sum · scale narrowed to bytes of T by <see cref="RequantizeNarrowing"/> (as
    /// <see cref="RequantizedPlaneSink{T}"/>), then transposed so each channel's eight bytes are stored at <paramref name="target"/> +
    /// channel · <paramref name="channelStride"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Block<T>(byte* target, nint channelStride, float* sums, Vector256<float> scale, Vector256<short> zero)
        where T : unmanaged
    {
        var s01 = RequantizeNarrowing.ToShorts(Vector256.Load(sums) * scale, Vector256.Load(sums + Lanes) * scale, zero);
        var s23 = RequantizeNarrowing.ToShorts(Vector256.Load(sums + 2 * Lanes) * scale, Vector256.Load(sums + 3 * Lanes) * scale, zero);
        var s45 = RequantizeNarrowing.ToShorts(Vector256.Load(sums + 4 * Lanes) * scale, Vector256.Load(sums + 5 * Lanes) * scale, zero);
        var s67 = RequantizeNarrowing.ToShorts(Vector256.Load(sums + 6 * Lanes) * scale, Vector256.Load(sums + 7 * Lanes) * scale, zero);
        // Per 128-bit lane: pixels 0–3 (then 4–7) × channels 0–3 (high lane: 4–7), pixel-major; the shuffle makes them channel-major.
        var low = RequantizeNarrowing.ToBytes<T>(s01, s23);
        var high = RequantizeNarrowing.ToBytes<T>(s45, s67);
        var order = Vector256.Create((byte)0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
        low = Avx2.Shuffle(low, order);
        high = Avx2.Shuffle(high, order);
        // Channels 0, 1 | 4, 5 and 2, 3 | 6, 7: pixels 0–3 then 4–7 of each.
        var first = Avx2.UnpackLow(low.AsInt32(), high.AsInt32()).AsInt64();
        var second = Avx2.UnpackHigh(low.AsInt32(), high.AsInt32()).AsInt64();
        Sse2.StoreScalar((long*)target, first.GetLower());
        Sse2.StoreHigh((double*)(target + channelStride), first.GetLower().AsDouble());
        Sse2.StoreScalar((long*)(target + 2 * channelStride), second.GetLower());
        Sse2.StoreHigh((double*)(target + 3 * channelStride), second.GetLower().AsDouble());
        Sse2.StoreScalar((long*)(target + 4 * channelStride), first.GetUpper());
        Sse2.StoreHigh((double*)(target + 5 * channelStride), first.GetUpper().AsDouble());
        Sse2.StoreScalar((long*)(target + 6 * channelStride), second.GetUpper());
        Sse2.StoreHigh((double*)(target + 7 * channelStride), second.GetUpper().AsDouble());
    }
}
