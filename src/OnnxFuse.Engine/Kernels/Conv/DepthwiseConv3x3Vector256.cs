using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>
/// One channel plane of a 3×3 depthwise convolution, stride 1 or 2, dilation 1, any padding, with Vector256:
/// y[oy, ox] = act(bias + Σ_{kh,kw} w[kh, kw] · x[s·oy − pt + kh, s·ox − pl + kw]. The input is first copied into zero-padded
/// scratch rows, so every tap is in bounds and the loops carry no edge cases: a whole padded plane, or for stride-2 rows wider
/// than one vector a ring of three padded rows filled just before they are read. Stride 2 splits each sixteen padded columns
/// into even and odd ones with in-lane shuffles (AVX), which leave the eight outputs in the lane order 0 1 4 5 2 3 6 7; one
/// permute per finished sum puts them back. The nine weights stay in registers; each output vector sums its nine taps in one
/// register and is stored once, with the activation applied in the register. Outputs go to the sink sixteen at a time (two
/// vectors of a row, or one vector each of two rows when a row is a single vector), so two independent FMA chains overlap and an
/// int8 sink narrows both in one pack. Where the plane comes from and where the sums go are operator structs
/// (<see cref="IPlaneSource"/>, <see cref="IPlaneSink"/>): float planes with an activation here, int8 planes requantized in the
/// register for QLinearConv.
/// </summary>
static class DepthwiseConv3x3Vector256
{
    const int Lanes = 8;

    /// <summary>Padded rows in the stride-2 ring: output row oy reads padded rows 2·oy … 2·oy + 2.</summary>
    const int RingRows = 3;

    /// <summary>True for the shapes this kernel covers (stride 2 needs AVX2's shuffles and permutes).</summary>
    public static bool Applies(in ConvParameters p) =>
        p.KernelHeight == 3 && p.KernelWidth == 3 && p.DilationHeight == 1 && p.DilationWidth == 1
        && p.StrideHeight == p.StrideWidth && (p.StrideHeight == 1 || (p.StrideHeight == 2 && Avx2.IsSupported));

    /// <summary>Floats of scratch <see cref="RunPlane{TActivation}"/> needs for <paramref name="p"/>'s planes.</summary>
    public static int ScratchLength(in ConvParameters p)
    {
        var (pitch, rows) = PaddedLayout(p);
        // Vector reads of outputs past the row's end run up to three vectors beyond the last row (stride 2 reads 2·8 + 2 columns
        // per vector); stride 2 may use the ring and a zero row instead of the padded plane.
        return pitch * Math.Max(rows, RingRows + 1) + 3 * Lanes;
    }

    /// <summary>
    /// Plane <paramref name="image"/> [H × W] with taps [3 × 3] to <paramref name="output"/> [OutputHeight × OutputWidth];
    /// <paramref name="scratch"/> holds <see cref="ScratchLength"/> floats (the last 3·8 are only read into dropped lanes).
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
        PadPlane(source, p, pitch, rows, scratch);
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
                var r1 = r0 + rowStep;
                var a = stride == 1
                    ? Sum(r0, r0 + pitch, r0 + 2 * pitch, start, w0, w1, w2, w3, w4, w5, w6, w7, w8)
                    : SumStride2(r0, r0 + pitch, r0 + 2 * pitch, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                var b = stride == 1
                    ? Sum(r1, r1 + pitch, r1 + 2 * pitch, start, w0, w1, w2, w3, w4, w5, w6, w7, w8)
                    : SumStride2(r1, r1 + pitch, r1 + 2 * pitch, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                StoreTwo(ref sink, a, (nint)oy * outputWidth, b, (nint)(oy + 1) * outputWidth, planeEnd);
            }
            if (oy < outputHeight)
            {
                var r0 = scratch + oy * rowStep;
                var a = stride == 1
                    ? Sum(r0, r0 + pitch, r0 + 2 * pitch, start, w0, w1, w2, w3, w4, w5, w6, w7, w8)
                    : SumStride2(r0, r0 + pitch, r0 + 2 * pitch, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                StoreOne(ref sink, a, (nint)oy * outputWidth, planeEnd);
            }
            return;
        }
        for (var oy = 0; oy < outputHeight; oy++)
        {
            var r0 = scratch + oy * rowStep;
            var r1 = r0 + pitch;
            var r2 = r1 + pitch;
            var line = (nint)oy * outputWidth;
            nint ox = 0;
            for (; ox + 2 * Lanes <= outputWidth; ox += 2 * Lanes)
            {
                var a = Sum(r0 + ox, r1 + ox, r2 + ox, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                var b = Sum(r0 + ox + Lanes, r1 + ox + Lanes, r2 + ox + Lanes, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                sink.StorePair(a, line + ox, b, line + ox + Lanes);
            }
            // Lanes past the row's end spill into the next rows, which are computed (and overwritten) later; only a vector
            // past the plane's end, which may belong to another thread, is stored in part.
            if (ox + Lanes < outputWidth)
            {
                var a = Sum(r0 + ox, r1 + ox, r2 + ox, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                var b = Sum(r0 + ox + Lanes, r1 + ox + Lanes, r2 + ox + Lanes, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                StoreTwo(ref sink, a, line + ox, b, line + ox + Lanes, planeEnd);
            }
            else if (ox < outputWidth)
            {
                StoreOne(ref sink, Sum(r0 + ox, r1 + ox, r2 + ox, start, w0, w1, w2, w3, w4, w5, w6, w7, w8), line + ox, planeEnd);
            }
        }
    }

    /// <summary>
    /// Stride 2, rows wider than one vector: output row oy reads padded rows 2·oy … 2·oy + 2, so each input row is copied into a
    /// ring of three padded scratch rows just before it is first read. The ring stays in L1, where a padded copy of a 112² plane
    /// (53 kB) would go to L2 and back; pad rows read a shared zero row, and the pad columns, never written, stay zero after one clear.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void RunPlaneStride2Rows<TSource, TSink>(TSource source, float* taps, float bias, in ConvParameters p, int pitch, float* scratch,
        TSink sink)
        where TSource : struct, IPlaneSource
        where TSink : struct, IPlaneSink
    {
        var (height, width, padTop, padLeft) = (p.InputHeight, p.InputWidth, p.PadTop, p.PadLeft);
        var (outputHeight, outputWidth) = (p.OutputHeight, p.OutputWidth);
        var zero = scratch + RingRows * pitch;
        new Span<float>(scratch, (RingRows + 1) * pitch + 3 * Lanes).Clear();
        var planeEnd = (nint)outputHeight * outputWidth;
        var r0 = RingRow(source, 0, height, width, padTop, padLeft, pitch, scratch, zero);
        for (var oy = 0; oy < outputHeight; oy++)
        {
            var r1 = RingRow(source, 2 * oy + 1, height, width, padTop, padLeft, pitch, scratch, zero);
            var r2 = RingRow(source, 2 * oy + 2, height, width, padTop, padLeft, pitch, scratch, zero);
            // The taps once per row, after the rows are copied: kept out of the copy, they leave it the registers it needs.
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
            var line = (nint)oy * outputWidth;
            nint ox = 0;
            for (; ox + 2 * Lanes <= outputWidth; ox += 2 * Lanes)
            {
                var a = SumStride2(r0 + 2 * ox, r1 + 2 * ox, r2 + 2 * ox, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                var b = SumStride2(r0 + 2 * ox + 2 * Lanes, r1 + 2 * ox + 2 * Lanes, r2 + 2 * ox + 2 * Lanes, start, w0, w1, w2, w3, w4, w5,
                    w6, w7, w8);
                sink.StorePair(a, line + ox, b, line + ox + Lanes);
            }
            // As in RunPlane: lanes past the row's end spill into the next rows, stored in part only at the plane's end.
            if (ox + Lanes < outputWidth)
            {
                var a = SumStride2(r0 + 2 * ox, r1 + 2 * ox, r2 + 2 * ox, start, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                var b = SumStride2(r0 + 2 * ox + 2 * Lanes, r1 + 2 * ox + 2 * Lanes, r2 + 2 * ox + 2 * Lanes, start, w0, w1, w2, w3, w4, w5,
                    w6, w7, w8);
                StoreTwo(ref sink, a, line + ox, b, line + ox + Lanes, planeEnd);
            }
            else if (ox < outputWidth)
            {
                StoreOne(ref sink, SumStride2(r0 + 2 * ox, r1 + 2 * ox, r2 + 2 * ox, start, w0, w1, w2, w3, w4, w5, w6, w7, w8), line + ox,
                    planeEnd);
            }
            r0 = r2;
        }
    }

    /// <summary>Padded row <paramref name="paddedRow"/> copied into ring slot paddedRow mod 3, or the zero row for a pad row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe float* RingRow<TSource>(TSource source, int paddedRow, int height, int width, int padTop, int padLeft, int pitch, float* ring,
        float* zero)
        where TSource : struct, IPlaneSource
    {
        var iy = paddedRow - padTop;
        if ((uint)iy >= (uint)height)
            return zero;
        var row = ring + paddedRow % RingRows * pitch;
        var target = row + padLeft;
        var rowStart = (nint)iy * width;
        var x = 0;
        for (; x + Lanes <= width; x += Lanes)
            Vector256.Store(source.Load(rowStart + x), target + x);
        if (x < width)
        {
            // The row's tail as one vector ending at the row's end (rows here are wider than 2·8), rewriting columns already copied.
            x = width - Lanes;
            Vector256.Store(source.Load(rowStart + x), target + x);
        }
        return row;
    }

    /// <summary>Eight stride-1 outputs: the nine taps' products summed in one register from <paramref name="start"/>, row by row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe Vector256<float> Sum(float* r0, float* r1, float* r2, Vector256<float> start, Vector256<float> w0, Vector256<float> w1,
        Vector256<float> w2, Vector256<float> w3, Vector256<float> w4, Vector256<float> w5, Vector256<float> w6, Vector256<float> w7,
        Vector256<float> w8)
    {
        var sum = Vector256.MultiplyAddEstimate(Vector256.Load(r0), w0, start);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r0 + 1), w1, sum);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r0 + 2), w2, sum);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r1), w3, sum);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r1 + 1), w4, sum);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r1 + 2), w5, sum);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r2), w6, sum);
        sum = Vector256.MultiplyAddEstimate(Vector256.Load(r2 + 1), w7, sum);
        return Vector256.MultiplyAddEstimate(Vector256.Load(r2 + 2), w8, sum);
    }

    /// <summary>
    /// Eight stride-2 outputs from padded rows starting at column 2·ox: each row's taps are columns 2j, 2j + 1 and 2j + 2,
    /// picked from sixteen columns (and sixteen from two on) by in-lane shuffles, in lane order 0 1 4 5 2 3 6 7 until the
    /// final 64-bit permute.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe Vector256<float> SumStride2(float* r0, float* r1, float* r2, Vector256<float> start, Vector256<float> w0,
        Vector256<float> w1, Vector256<float> w2, Vector256<float> w3, Vector256<float> w4, Vector256<float> w5, Vector256<float> w6,
        Vector256<float> w7, Vector256<float> w8)
    {
        var sum = RowStride2(r0, w0, w1, w2, start);
        sum = RowStride2(r1, w3, w4, w5, sum);
        sum = RowStride2(r2, w6, w7, w8, sum);
        return Avx2.Permute4x64(sum.AsDouble(), 0b11_01_10_00).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe Vector256<float> RowStride2(float* row, Vector256<float> left, Vector256<float> middle, Vector256<float> right,
        Vector256<float> sum)
    {
        const byte Evens = 0b10_00_10_00;
        const byte Odds = 0b11_01_11_01;
        var low = Vector256.Load(row);
        var high = Vector256.Load(row + Lanes);
        sum = Vector256.MultiplyAddEstimate(Avx.Shuffle(low, high, Evens), left, sum);
        sum = Vector256.MultiplyAddEstimate(Avx.Shuffle(low, high, Odds), middle, sum);
        return Vector256.MultiplyAddEstimate(Avx.Shuffle(Vector256.Load(row + 2), Vector256.Load(row + Lanes + 2), Evens), right, sum);
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
    /// Row pitch (the padded width) and row count of the padded scratch plane; at least the columns and rows the outputs read,
    /// which a kernel wider than the padded input (an output size rounded up to 1) reads past its end, as zeros.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (int Pitch, int Rows) PaddedLayout(in ConvParameters p) =>
        (Math.Max(p.InputWidth + p.PadLeft + p.PadRight, p.StrideWidth * (p.OutputWidth - 1) + 3),
         Math.Max(p.InputHeight + p.PadTop + p.PadBottom, p.StrideHeight * (p.OutputHeight - 1) + 3));

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
}
