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

    /// <summary>sums[oy · OW + ox] = Σ_{ky,kx} (x[iy, ix] − zeroPoint) · taps[ky · KW + kx] for one channel [H, W] of byte or sbyte.</summary>
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
        var outputWidth = p.OutputWidth;
        var stride = p.StrideWidth;
        fixed (int* pairData = pairs)
        fixed (int* sumData = sums)
        {
            for (var oy = 0; oy < p.OutputHeight; oy++)
            {
                var top = pairData + (long)oy * p.StrideHeight * rowWidth;
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
                    Avx.Store(sumData + oy * outputWidth + ox, sum);
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
        for (var r = 0; r < PairRowCount(p); r++)
        {
            var row = pairs.Slice(r * rowWidth, rowWidth);
            row.Clear();
            var first = r - p.PadTop;
            var hasFirst = (uint)first < (uint)p.InputHeight;
            var hasSecond = (uint)(first + 1) < (uint)p.InputHeight;
            if (!hasFirst && !hasSecond)
                continue;
            var upper = hasFirst ? input.Slice(first * width, width) : default;
            var lower = hasSecond ? input.Slice((first + 1) * width, width) : default;
            var target = row[p.PadLeft..];
            var ix = 0;
            for (; ix + 16 <= width; ix += 16)
            {
                var a = hasFirst ? Widen(upper[ix..], signed) - zero : Vector256<short>.Zero;
                var b = hasSecond ? Widen(lower[ix..], signed) - zero : Vector256<short>.Zero;
                // unpacklo/hi work within 128-bit lanes: they hold columns 0–3 | 8–11 and 4–7 | 12–15.
                var low = Avx2.UnpackLow(a, b);
                var high = Avx2.UnpackHigh(a, b);
                Avx2.Permute2x128(low, high, 0x20).AsInt32().CopyTo(target[ix..]);
                Avx2.Permute2x128(low, high, 0x31).AsInt32().CopyTo(target[(ix + 8)..]);
            }
            for (; ix < width; ix++)
            {
                var a = hasFirst ? Read(upper[ix], signed) - zeroPoint : 0;
                var b = hasSecond ? Read(lower[ix], signed) - zeroPoint : 0;
                target[ix] = (ushort)a | b << 16;
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
    static Vector256<short> Widen(ReadOnlySpan<byte> source, bool signed)
    {
        var bytes = Vector128.Create(source[..16]);
        return signed ? Avx2.ConvertToVector256Int16(bytes.AsSByte()) : Avx2.ConvertToVector256Int16(bytes);
    }

    static int Read(byte value, bool signed) => signed ? (sbyte)value : value;
}
