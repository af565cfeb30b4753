using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>
/// One channel plane of a 3×3 depthwise convolution, stride 1 or 2, dilation 1, any padding, with Vector256:
/// y[oy, ox] = act(bias + Σ_{kh,kw} w[kh, kw] · x[s·oy − pt + kh, s·ox − pl + kw]. The plane is first copied into a
/// zero-padded scratch plane, so every tap is in bounds and the loops carry no edge cases; stride-2 rows are stored
/// de-interleaved (even padded columns, then odd ones), so each tap is one contiguous load instead of a gather. The
/// nine weights stay in registers; each output vector sums its nine taps in one register and is stored once, with the
/// activation applied in the register. Outputs go to the sink sixteen at a time (two vectors of a row, or one vector each of two
/// rows when a row is a single vector), so two independent FMA chains overlap and an int8 sink narrows both in one pack. Where the
/// plane comes from and where the sums go are operator structs (<see cref="IPlaneSource"/>, <see cref="IPlaneSink"/>):
/// float planes with an activation here, int8 planes requantized in the register for QLinearConv.
/// </summary>
static class DepthwiseConv3x3Vector256
{
    const int Lanes = 8;

    /// <summary>True for the shapes this kernel covers.</summary>
    public static bool Applies(in ConvParameters p) =>
        p.KernelHeight == 3 && p.KernelWidth == 3 && p.DilationHeight == 1 && p.DilationWidth == 1
        && p.StrideHeight == p.StrideWidth && p.StrideHeight is 1 or 2;

    /// <summary>Floats of scratch <see cref="RunPlane{TActivation}"/> needs for <paramref name="p"/>'s planes.</summary>
    public static int ScratchLength(in ConvParameters p)
    {
        var (pitch, rows) = PaddedLayout(p);
        // Vector reads of outputs past the row's end run up to two vectors beyond the last row; stride 2 may use a ring of rows
        // and a zero row instead of the padded plane.
        return pitch * Math.Max(rows, RingRows + 1) + 2 * Lanes;
    }

    /// <summary>
    /// Plane <paramref name="image"/> [H × W] with taps [3 × 3] to <paramref name="output"/> [OutputHeight × OutputWidth];
    /// <paramref name="scratch"/> holds <see cref="ScratchLength"/> floats (the last 2·8 are only read into dropped lanes).
    /// </summary>
    public static unsafe void RunPlane<TActivation>(float* image, float* taps, float bias, in ConvParameters p, TActivation activation,
        float* scratch, float* output)
        where TActivation : struct, IUnaryOp =>
        RunPlane(new FloatPlaneSource(image), taps, bias, p, scratch, new FloatPlaneSink<TActivation>(output, activation));

    /// <summary>
    /// Plane <paramref name="source"/> [H × W] with taps [3 × 3] to <paramref name="sink"/> [OutputHeight × OutputWidth], each
    /// sum starting at <paramref name="bias"/>; <paramref name="scratch"/> holds <see cref="ScratchLength"/> floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RunPlane<TSource, TSink>(TSource source, float* taps, float bias, in ConvParameters p, float* scratch, TSink sink)
        where TSource : struct, IPlaneSource
        where TSink : struct, IPlaneSink
    {
        var (pitch, rows) = PaddedLayout(p);
        if (p.StrideWidth == 2 && p.OutputWidth > Lanes)
        {
            RunPlaneStride2Rows(source, taps, bias, p, pitch, scratch, sink);
            return;
        }
        if (p.StrideWidth == 1)
            PadPlane(source, p, pitch, rows, scratch);
        else
            PadPlaneDeinterleaved(source, p, pitch, rows, scratch);
        // The geometry before the taps: its property getters are calls, and a vector live across a call is kept on the stack (no ymm
        // register survives a call on x64 Unix), which would reload every tap for every output vector.
        var (outputHeight, outputWidth) = (p.OutputHeight, p.OutputWidth);
        var stride = p.StrideWidth;
        var w0 = Vector256.Create(taps[0]);
        var w1 = Vector256.Create(taps[1]);
        var w2 = Vector256.Create(taps[2]);
        var w3 = Vector256.Create(taps[3]);
        var w4 = Vector256.Create(taps[4]);
        var w5 = Vector256.Create(taps[5]);
        var w6 = Vector256.Create(taps[6]);
        var w7 = Vector256.Create(taps[7]);
        var w8 = Vector256.Create(taps[8]);
        var start = Vector256.Create(bias);
        // Stride 1 reads x[ox], x[ox + 1], x[ox + 2]; stride 2 reads even[ox], odd[ox], even[ox + 1] of a de-interleaved row.
        nint tap1 = stride == 1 ? 1 : pitch / 2;
        nint tap2 = stride == 1 ? 2 : 1;
        var rowStep = (nint)stride * pitch;
        var planeEnd = (nint)outputHeight * outputWidth;
        if (outputWidth <= Lanes)
        {
            // Rows of one vector (7×7 planes): two rows at a time, so the sink finishes sixteen outputs per step and two
            // sum chains overlap. The first row's spilled lanes land at the second row's start, which its own store overwrites.
            var oy = 0;
            for (; oy + 1 < outputHeight; oy += 2)
            {
                var r0 = scratch + oy * rowStep;
                var a = Sum(r0, r0 + pitch, r0 + 2 * pitch, tap1, tap2, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                var r1 = r0 + rowStep;
                var b = Sum(r1, r1 + pitch, r1 + 2 * pitch, tap1, tap2, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                StoreTwo(ref sink, a, (nint)oy * outputWidth, b, (nint)(oy + 1) * outputWidth, planeEnd);
            }
            if (oy < outputHeight)
            {
                var r0 = scratch + oy * rowStep;
                StoreOne(ref sink, Sum(r0, r0 + pitch, r0 + 2 * pitch, tap1, tap2, start, w0, w1, w2, w3, w4, w5, w6, w7, w8),
                    (nint)oy * outputWidth, planeEnd);
            }
            return;
        }
        for (var oy = 0; oy < outputHeight; oy++)
        {
            var r0 = scratch + oy * rowStep;
            OutputRow(ref sink, r0, r0 + pitch, r0 + 2 * pitch, tap1, tap2, start, w0, w1, w2, w3, w4, w5, w6, w7, w8, (nint)oy * outputWidth,
                outputWidth, planeEnd);
        }
    }

    /// <summary>
    /// Stride 2, rows wider than one vector: output row oy reads padded rows 2·oy … 2·oy + 2, so each row is de-interleaved into a
    /// ring of three scratch rows just before it is first read. The ring stays in L1, where a padded copy of a 112² plane (53 kB)
    /// would go to L2 and back; pad rows read a shared zero row, and the pad columns, never written, stay zero after one clear.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void RunPlaneStride2Rows<TSource, TSink>(TSource source, float* taps, float bias, in ConvParameters p, int pitch, float* scratch,
        TSink sink)
        where TSource : struct, IPlaneSource
        where TSink : struct, IPlaneSink
    {
        var (height, width, padTop) = (p.InputHeight, p.InputWidth, p.PadTop);
        var (outputHeight, outputWidth) = (p.OutputHeight, p.OutputWidth);
        var half = pitch / 2;
        var (evenOffset, oddOffset) = DeinterleavedOffsets(p.PadLeft, half);
        var zero = scratch + RingRows * pitch;
        new Span<float>(scratch, (RingRows + 1) * pitch + 2 * Lanes).Clear();
        var planeEnd = (nint)outputHeight * outputWidth;
        var r0 = RingRow(source, 0, height, width, padTop, pitch, evenOffset, oddOffset, scratch, zero);
        for (var oy = 0; oy < outputHeight; oy++)
        {
            var r1 = RingRow(source, 2 * oy + 1, height, width, padTop, pitch, evenOffset, oddOffset, scratch, zero);
            var r2 = RingRow(source, 2 * oy + 2, height, width, padTop, pitch, evenOffset, oddOffset, scratch, zero);
            // The taps once per row, after the rows are written: kept out of the de-interleaving, they leave it the registers it needs.
            OutputRow(ref sink, r0, r1, r2, half, 1, Vector256.Create(bias), Vector256.Create(taps[0]), Vector256.Create(taps[1]),
                Vector256.Create(taps[2]), Vector256.Create(taps[3]), Vector256.Create(taps[4]), Vector256.Create(taps[5]), Vector256.Create(taps[6]),
                Vector256.Create(taps[7]), Vector256.Create(taps[8]), (nint)oy * outputWidth, outputWidth, planeEnd);
            r0 = r2;
        }
    }

    const int RingRows = 3;

    /// <summary>Padded row <paramref name="paddedRow"/> de-interleaved into ring slot paddedRow mod 3, or the zero row for a pad row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe float* RingRow<TSource>(TSource source, int paddedRow, int height, int width, int padTop, int pitch, int evenOffset, int oddOffset,
        float* ring, float* zero)
        where TSource : struct, IPlaneSource
    {
        var iy = paddedRow - padTop;
        if ((uint)iy >= (uint)height)
            return zero;
        var row = ring + paddedRow % RingRows * pitch;
        DeinterleaveRow(source, (nint)iy * width, width, row + evenOffset, row + oddOffset);
        return row;
    }

    /// <summary>One output row from padded rows r0 … r2, sixteen outputs per step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void OutputRow<TSink>(ref TSink sink, float* r0, float* r1, float* r2, nint tap1, nint tap2, Vector256<float> start, Vector256<float> w0,
        Vector256<float> w1, Vector256<float> w2, Vector256<float> w3, Vector256<float> w4, Vector256<float> w5, Vector256<float> w6,
        Vector256<float> w7, Vector256<float> w8, nint line, int outputWidth, nint planeEnd)
        where TSink : struct, IPlaneSink
    {
        nint ox = 0;
        for (; ox + 2 * Lanes <= outputWidth; ox += 2 * Lanes)
        {
            var a = Sum(r0 + ox, r1 + ox, r2 + ox, tap1, tap2, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
            var b = Sum(r0 + ox + Lanes, r1 + ox + Lanes, r2 + ox + Lanes, tap1, tap2, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
            sink.StorePair(a, line + ox, b, line + ox + Lanes);
        }
        // Lanes past the row's end spill into the next rows, which are computed (and overwritten) later; only a vector
        // past the plane's end, which may belong to another thread, is stored in part.
        if (ox + Lanes < outputWidth)
        {
            var a = Sum(r0 + ox, r1 + ox, r2 + ox, tap1, tap2, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
            var b = Sum(r0 + ox + Lanes, r1 + ox + Lanes, r2 + ox + Lanes, tap1, tap2, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
            StoreTwo(ref sink, a, line + ox, b, line + ox + Lanes, planeEnd);
        }
        else if (ox < outputWidth)
        {
            StoreOne(ref sink, Sum(r0 + ox, r1 + ox, r2 + ox, tap1, tap2, start, w0, w1, w2, w3, w4, w5, w6, w7, w8), line + ox, planeEnd);
        }
    }

    /// <summary>Eight outputs: the nine taps' products summed in one register from <paramref name="start"/>, row by row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe Vector256<float> Sum(float* r0, float* r1, float* r2, nint tap1, nint tap2, Vector256<float> start, Vector256<float> w0,
        Vector256<float> w1, Vector256<float> w2, Vector256<float> w3, Vector256<float> w4, Vector256<float> w5, Vector256<float> w6,
        Vector256<float> w7, Vector256<float> w8)
    {
        var sum = Vector256.MultiplyAddEstimate(Vector256.Load(r0), w0, start);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r0 + tap1), w1, sum);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r0 + tap2), w2, sum);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r1), w3, sum);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r1 + tap1), w4, sum);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r1 + tap2), w5, sum);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r2), w6, sum);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r2 + tap1), w7, sum);
        return Vector256.MultiplyAddEstimate(Vector256.Load(r2 + tap2), w8, sum);
    }

    /// <summary>Two vectors, the second stored after the first; the one reaching past the plane's end only in part.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreTwo<TSink>(ref TSink sink, Vector256<float> first, nint firstIndex, Vector256<float> second, nint secondIndex, nint planeEnd)
        where TSink : struct, IPlaneSink
    {
        if (secondIndex + Lanes <= planeEnd)
        {
            sink.StorePair(first, firstIndex, second, secondIndex);
            return;
        }
        StoreOne(ref sink, first, firstIndex, planeEnd);
        sink.StorePartial(second, secondIndex, (int)(planeEnd - secondIndex));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreOne<TSink>(ref TSink sink, Vector256<float> sums, nint index, nint planeEnd)
        where TSink : struct, IPlaneSink
    {
        if (index + Lanes <= planeEnd)
            sink.Store(sums, index);
        else
            sink.StorePartial(sums, index, (int)(planeEnd - index));
    }

    /// <summary>
    /// Row pitch and row count of the padded scratch plane. Stride 1: padded rows as they are. Stride 2: each padded
    /// row as its even columns then its odd columns, two halves of equal length with one spare slot each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (int Pitch, int Rows) PaddedLayout(in ConvParameters p)
    {
        var paddedWidth = p.InputWidth + p.PadLeft + p.PadRight;
        var rows = p.InputHeight + p.PadTop + p.PadBottom;
        return p.StrideWidth == 1 ? (paddedWidth, rows) : (2 * ((paddedWidth + 1) / 2 + 1), rows);
    }

    static unsafe void PadPlane<TSource>(TSource image, in ConvParameters p, int pitch, int rows, float* scratch)
        where TSource : struct, IPlaneSource
    {
        var (width, padLeft) = (p.InputWidth, p.PadLeft);
        new Span<float>(scratch, p.PadTop * pitch).Clear();
        var padRight = pitch - padLeft - width;
        var planeEnd = (nint)p.InputHeight * width;
        for (var iy = 0; iy < p.InputHeight; iy++)
        {
            // Rows are short (7 to 114 floats) and the pads one or two: plain loops beat the span helpers' call costs.
            var row = scratch + (nint)(iy + p.PadTop) * pitch;
            var rowStart = (nint)iy * width;
            for (var j = 0; j < padLeft; j++)
                row[j] = 0f;
            var target = row + padLeft;
            var x = 0;
            for (; x + Lanes <= width; x += Lanes)
                Vector256.Store(image.Load(rowStart + x), target + x);
            if (x < width && (width >= Lanes || rowStart + Lanes <= planeEnd))
            {
                // The row's tail as one vector: ending at the row's end when the row is wide enough, else starting
                // at x and reading on into the plane's next rows, its extra lanes landing in pads and rows written later.
                x = width >= Lanes ? width - Lanes : x;
                Vector256.Store(image.Load(rowStart + x), target + x);
                x = width;
            }
            for (; x < width; x++)
                target[x] = image.LoadScalar(rowStart + x);
            for (var j = 0; j < padRight; j++)
                target[width + j] = 0f;
        }
        new Span<float>(scratch + (nint)(p.PadTop + p.InputHeight) * pitch, (rows - p.PadTop - p.InputHeight) * pitch).Clear();
    }

    /// <summary>Padded column j of a row goes to slot j / 2 of the even half (j even) or of the odd half (j odd).</summary>
    static unsafe void PadPlaneDeinterleaved<TSource>(TSource image, in ConvParameters p, int pitch, int rows, float* scratch)
        where TSource : struct, IPlaneSource
    {
        var width = p.InputWidth;
        new Span<float>(scratch, p.PadTop * pitch).Clear();
        var (evenOffset, oddOffset) = DeinterleavedOffsets(p.PadLeft, pitch / 2);
        for (var iy = 0; iy < p.InputHeight; iy++)
        {
            var row = scratch + (nint)(iy + p.PadTop) * pitch;
            new Span<float>(row, pitch).Clear();
            DeinterleaveRow(image, (nint)iy * width, width, row + evenOffset, row + oddOffset);
        }
        new Span<float>(scratch + (nint)(p.PadTop + p.InputHeight) * pitch, (rows - p.PadTop - p.InputHeight) * pitch).Clear();
    }

    /// <summary>Where input columns 0 and 1 of a row land in its de-interleaved padded row: padded column padLeft + x.</summary>
    static (int Even, int Odd) DeinterleavedOffsets(int padLeft, int half)
    {
        var firstHalf = padLeft % 2 == 0 ? 0 : half;
        return (firstHalf + padLeft / 2, half - firstHalf + (padLeft + 1) / 2);
    }

    /// <summary>
    /// Input row [rowStart, rowStart + width): column 2k to <paramref name="evens"/>[k], column 2k + 1 to <paramref name="odds"/>[k].
    /// Writes only those slots, so the pads around them keep what they held.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void DeinterleaveRow<TSource>(TSource image, nint rowStart, int width, float* evens, float* odds)
        where TSource : struct, IPlaneSource
    {
        var shuffle = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var k = 0;
        for (; 2 * k + 2 * Lanes <= width; k += Lanes)
            DeinterleaveSixteen(image, rowStart + 2 * k, shuffle, evens + k, odds + k);
        if (2 * k < width && width >= 2 * Lanes)
        {
            // The row's tail as sixteen columns ending at (or, for an odd width, one before) the row's end, rewriting slots
            // already written with the same values.
            k = (width - 2 * Lanes) / 2;
            DeinterleaveSixteen(image, rowStart + 2 * k, shuffle, evens + k, odds + k);
            k += Lanes;
        }
        for (; 2 * k < width; k++)
        {
            evens[k] = image.LoadScalar(rowStart + 2 * k);
            if (2 * k + 1 < width)
                odds[k] = image.LoadScalar(rowStart + 2 * k + 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void DeinterleaveSixteen<TSource>(TSource image, nint index, Vector256<int> shuffle, float* evens, float* odds)
        where TSource : struct, IPlaneSource
    {
        var low = Vector256.Shuffle(image.Load(index), shuffle);
        var high = Vector256.Shuffle(image.Load(index + Lanes), shuffle);
        Vector256.Create(low.GetLower(), high.GetLower()).Store(evens);
        Vector256.Create(low.GetUpper(), high.GetUpper()).Store(odds);
    }
}
