using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Conv;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// The AVX2 variant of <see cref="QuantizedDepthwiseConv"/>'s channel sum, for strides 1 and 2 without dilation. The channel
/// is first rewritten as int16 row pairs: pairs[r, q] = (x̂[r, q], x̂[r + 1, q]) in one int32, x̂ the padded input minus its zero
/// point (padding 0). One vpmaddwd of 8 such pairs with the broadcast tap pair (w[ky, kx], w[ky + 1, kx]) then adds two kernel
/// rows' products for 8 output columns: a 3×3 kernel is 6 multiply-adds per 8 outputs. Stride 2 reads the even pairs of 16.
/// </summary>
static unsafe class QuantizedDepthwiseConvVector256
{
    /// <summary>Largest kernel window the tap pairs are kept on the stack for.</summary>
    const int MaxWindow = 64;

    public static bool Supports(in ConvParameters p) => Avx2.IsSupported && p.DilationHeight == 1 && p.DilationWidth == 1 &&
        p.StrideWidth is 1 or 2 && p.KernelHeight * p.KernelWidth <= MaxWindow;

    /// <summary>Ints of the row-pair buffer <see cref="Channel{T}"/> needs.</summary>
    public static int PairBufferLength(in ConvParameters p) => PairRowCount(p) * PairRowWidth(p);

    /// <summary>Ints of the sums buffer: the output plane plus one vector, since the last vector of a row may spill past it.</summary>
    public static int SumsLength(in ConvParameters p) => p.OutputHeight * p.OutputWidth + Vector256<int>.Count;

    /// <summary>
    /// sums[oy · OW + ox] = Σ_{ky,kx} (x[iy, ix] − zeroPoint) · taps[ky · KW + kx] for one channel [H, W] of byte or sbyte.
    /// <paramref name="pairs"/> (<see cref="PairBufferLength"/> ints) must be all zeros before the first channel: only the
    /// input's own positions are written, so the padding stays zero for every later channel of the same geometry.
    /// </summary>
    [SkipLocalsInit]
    public static void Channel<T>(ReadOnlySpan<T> input, int zeroPoint, ReadOnlySpan<int> taps, in ConvParameters p, Span<int> pairs, Span<int> sums)
        where T : unmanaged
    {
        var rowWidth = PairRowWidth(p);
        BuildPairs(MemoryMarshal.AsBytes(input), typeof(T) == typeof(sbyte), zeroPoint, p, rowWidth, pairs);
        var pairRows = (p.KernelHeight + 1) / 2;
        var kernelWidth = p.KernelWidth;
        var tapPairs = stackalloc Vector256<short>[pairRows * kernelWidth];
        for (var kp = 0; kp < pairRows; kp++)
        {
            for (var kx = 0; kx < kernelWidth; kx++)
            {
                var low = taps[2 * kp * kernelWidth + kx];
                var high = 2 * kp + 1 < p.KernelHeight ? taps[(2 * kp + 1) * kernelWidth + kx] : 0;
                tapPairs[kp * kernelWidth + kx] = Vector256.Create((ushort)low | high << 16).AsInt16();
            }
        }
        fixed (int* pairData = pairs)
        fixed (int* sumData = sums)
        {
            if (p.KernelHeight == 3 && p.KernelWidth == 3)
                Sums3x3(pairData, rowWidth, tapPairs, p, sumData);
            else
                SumsAnyKernel(pairData, rowWidth, tapPairs, p, sumData);
        }
    }

    static void SumsAnyKernel(int* pairs, int rowWidth, Vector256<short>* tapPairs, in ConvParameters p, int* sums)
    {
        var pairRows = (p.KernelHeight + 1) / 2;
        var kernelWidth = p.KernelWidth;
        var outputWidth = p.OutputWidth;
        var stride = p.StrideWidth;
        for (var oy = 0; oy < p.OutputHeight; oy++)
        {
            var top = pairs + (long)oy * p.StrideHeight * rowWidth;
            for (var ox = 0; ox < outputWidth; ox += Vector256<int>.Count)
            {
                var sum = Vector256<int>.Zero;
                for (var kp = 0; kp < pairRows; kp++)
                {
                    var row = top + (long)2 * kp * rowWidth + ox * stride;
                    var rowTaps = tapPairs + kp * kernelWidth;
                    for (var kx = 0; kx < kernelWidth; kx++)
                    {
                        var values = stride == 1 ? Avx.LoadVector256(row + kx) : Evens(row + kx);
                        sum = Avx2.Add(sum, Avx2.MultiplyAddAdjacent(values.AsInt16(), rowTaps[kx]));
                    }
                }
                Avx.Store(sums + oy * outputWidth + ox, sum);
            }
        }
    }

    /// <summary>MobileNet's case, unrolled: the six tap pairs stay in registers, two pair rows per output row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Sums3x3(int* pairs, int rowWidth, Vector256<short>* tapPairs, in ConvParameters p, int* sums)
    {
        var (t00, t01, t02) = (tapPairs[0], tapPairs[1], tapPairs[2]);
        var (t20, t21, t22) = (tapPairs[3], tapPairs[4], tapPairs[5]);
        var outputWidth = p.OutputWidth;
        for (var oy = 0; oy < p.OutputHeight; oy++)
        {
            var top = pairs + (long)oy * p.StrideHeight * rowWidth;
            var bottom = top + 2 * rowWidth;
            var target = sums + oy * outputWidth;
            if (p.StrideWidth == 1)
            {
                for (var ox = 0; ox < outputWidth; ox += Vector256<int>.Count)
                {
                    var sum = Avx2.Add(Avx2.Add(Avx2.MultiplyAddAdjacent(Avx.LoadVector256(top + ox).AsInt16(), t00),
                            Avx2.MultiplyAddAdjacent(Avx.LoadVector256(top + ox + 1).AsInt16(), t01)),
                        Avx2.Add(Avx2.MultiplyAddAdjacent(Avx.LoadVector256(top + ox + 2).AsInt16(), t02),
                            Avx2.MultiplyAddAdjacent(Avx.LoadVector256(bottom + ox).AsInt16(), t20)));
                    sum = Avx2.Add(sum, Avx2.Add(Avx2.MultiplyAddAdjacent(Avx.LoadVector256(bottom + ox + 1).AsInt16(), t21),
                        Avx2.MultiplyAddAdjacent(Avx.LoadVector256(bottom + ox + 2).AsInt16(), t22)));
                    Avx.Store(target + ox, sum);
                }
            }
            else
            {
                for (var ox = 0; ox < outputWidth; ox += Vector256<int>.Count)
                {
                    var upper = top + 2 * ox;
                    var lower = bottom + 2 * ox;
                    var sum = Avx2.Add(Avx2.Add(Avx2.MultiplyAddAdjacent(Evens(upper).AsInt16(), t00),
                            Avx2.MultiplyAddAdjacent(Evens(upper + 1).AsInt16(), t01)),
                        Avx2.Add(Avx2.MultiplyAddAdjacent(Evens(upper + 2).AsInt16(), t02),
                            Avx2.MultiplyAddAdjacent(Evens(lower).AsInt16(), t20)));
                    sum = Avx2.Add(sum, Avx2.Add(Avx2.MultiplyAddAdjacent(Evens(lower + 1).AsInt16(), t21),
                        Avx2.MultiplyAddAdjacent(Evens(lower + 2).AsInt16(), t22)));
                    Avx.Store(target + ox, sum);
                }
            }
        }
    }

    /// <summary>Padded input rows the taps reach: (OH − 1)·strideH + KH.</summary>
    static int PairRowCount(in ConvParameters p) => (p.OutputHeight - 1) * p.StrideHeight + p.KernelHeight;

    /// <summary>Padded columns: the input and its left padding, and every column a full last vector of outputs reads.</summary>
    static int PairRowWidth(in ConvParameters p)
    {
        var vectorWidth = (p.OutputWidth + Vector256<int>.Count - 1) / Vector256<int>.Count * Vector256<int>.Count;
        return Math.Max(p.PadLeft + p.InputWidth, p.StrideWidth * vectorWidth + p.KernelWidth + Vector256<int>.Count);
    }

    static void BuildPairs(ReadOnlySpan<byte> input, bool signed, int zeroPoint, in ConvParameters p, int rowWidth, Span<int> pairs)
    {
        var zero = Vector256.Create((short)zeroPoint);
        var width = p.InputWidth;
        var length = input.Length;
        fixed (byte* source = input)
        fixed (int* destination = pairs)
        {
            for (var r = 0; r < PairRowCount(p); r++)
            {
                // Output rows start every strideH rows and pair rows two apart, so with stride 2 only even rows are read.
                if (p.StrideHeight == 2 && (r & 1) == 1)
                    continue;
                var row = destination + (long)r * rowWidth;
                var first = r - p.PadTop;
                var hasFirst = (uint)first < (uint)p.InputHeight;
                var hasSecond = (uint)(first + 1) < (uint)p.InputHeight;
                if (!hasFirst && !hasSecond)
                    continue;
                var upper = source + (long)first * width;
                var lower = upper + width;
                var target = row + p.PadLeft;
                var ix = 0;
                for (; ix + 16 <= width; ix += 16)
                {
                    var a = hasFirst ? Widen(upper + ix, signed) - zero : Vector256<short>.Zero;
                    var b = hasSecond ? Widen(lower + ix, signed) - zero : Vector256<short>.Zero;
                    // unpacklo/hi work within 128-bit lanes: they hold columns 0–3 | 8–11 and 4–7 | 12–15.
                    var low = Avx2.UnpackLow(a, b);
                    var high = Avx2.UnpackHigh(a, b);
                    Avx.Store(target + ix, Avx2.Permute2x128(low, high, 0x20).AsInt32());
                    Avx.Store(target + ix + 8, Avx2.Permute2x128(low, high, 0x31).AsInt32());
                }
                for (; ix < width; ix += 8)
                {
                    // The last 1–7 columns as one vector, lanes past the row masked to 0 so the right padding stays zero.
                    var count = Math.Min(8, width - ix);
                    var keep = Vector128.LessThan(Vector128.Create((short)0, 1, 2, 3, 4, 5, 6, 7), Vector128.Create((short)count));
                    var a = hasFirst ? (Widen8(upper + ix, ((long)first * width) + ix, length, signed) - zero.GetLower()) & keep : Vector128<short>.Zero;
                    var b = hasSecond ? (Widen8(lower + ix, ((long)first + 1) * width + ix, length, signed) - zero.GetLower()) & keep : Vector128<short>.Zero;
                    Avx.Store(target + ix, Vector256.Create(Sse2.UnpackLow(a, b), Sse2.UnpackHigh(a, b)).AsInt32());
                }
            }
        }
    }

    /// <summary>Elements 0, 2, …, 14 of the 16 ints at <paramref name="source"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<int> Evens(int* source)
    {
        var shuffled = Avx.Shuffle(Avx.LoadVector256(source).AsSingle(), Avx.LoadVector256(source + 8).AsSingle(), 0b10_00_10_00);
        return Avx2.Permute4x64(shuffled.AsDouble(), 0b11_01_10_00).AsInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<short> Widen(byte* source, bool signed) =>
        signed ? Avx2.ConvertToVector256Int16((sbyte*)source) : Avx2.ConvertToVector256Int16(source);

    /// <summary>8 elements from <paramref name="source"/> (at <paramref name="offset"/> of a <paramref name="length"/>-byte plane), widened; near the plane's end through a copy, so nothing past it is read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<short> Widen8(byte* source, long offset, int length, bool signed)
    {
        ulong bytes = 0;
        if (offset + sizeof(ulong) <= length)
            bytes = *(ulong*)source;
        else
            Buffer.MemoryCopy(source, &bytes, sizeof(ulong), length - offset);
        var values = Vector128.CreateScalarUnsafe(bytes).AsByte();
        return signed ? Sse41.ConvertToVector128Int16(values.AsSByte()) : Sse41.ConvertToVector128Int16(values);
    }
}
