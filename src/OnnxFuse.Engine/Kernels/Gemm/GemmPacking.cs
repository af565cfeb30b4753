using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// Goto/BLIS packing. A block of op(A) becomes strips of <c>panelWidth</c> rows stored [strip][k][row];
/// a block of op(B) becomes strips of <c>panelWidth</c> columns stored [strip][k][column]. Strips are
/// zero-padded so the microkernel always runs full tiles.
/// </summary>
static class GemmPacking
{
    /// <summary>Packs op(A)[rowStart.., depthStart..] of size rowCount × depth into <paramref name="destination"/>.</summary>
    public static unsafe void PackA(float* a, int strideA, bool transposeA, int rowStart, int rowCount, int depthStart, int depth, int panelWidth, float* destination)
    {
        for (var strip = 0; strip < rowCount; strip += panelWidth)
        {
            var rows = Math.Min(panelWidth, rowCount - strip);
            var panel = destination + (nint)strip * depth;
            if (transposeA)
            {
                // op(A)[i, k] = a[k, i]: each k contributes `rows` contiguous values.
                for (var k = 0; k < depth; k++)
                {
                    var source = a + (nint)(depthStart + k) * strideA + rowStart + strip;
                    var target = panel + (nint)k * panelWidth;
                    for (var r = 0; r < rows; r++)
                        target[r] = source[r];
                    for (var r = rows; r < panelWidth; r++)
                        target[r] = 0f;
                }
            }
            else
            {
                for (var r = 0; r < rows; r++)
                {
                    var source = a + (nint)(rowStart + strip + r) * strideA + depthStart;
                    var target = panel + r;
                    for (var k = 0; k < depth; k++)
                        target[(nint)k * panelWidth] = source[k];
                }
                for (var r = rows; r < panelWidth; r++)
                {
                    for (var k = 0; k < depth; k++)
                        panel[(nint)k * panelWidth + r] = 0f;
                }
            }
        }
    }

    /// <summary>
    /// Eight stored rows of B (8 columns of op(B)), <paramref name="depth"/> values each, into 8 adjacent columns of a
    /// packed strip: 8×8 blocks transposed in registers (AVX unpack, shuffle, lane permute), the depth tail scalar.
    /// A scalar transpose writes each value to its own cache line in turn; this writes whole 32-byte rows.
    /// </summary>
    static unsafe void PackTransposedColumns8(float* rows, int strideB, int depth, float* target, int panelWidth)
    {
        var k = 0;
        for (; k + 8 <= depth; k += 8)
        {
            var source = rows + k;
            var t0 = Avx.UnpackLow(Avx.LoadVector256(source), Avx.LoadVector256(source + strideB));
            var t1 = Avx.UnpackHigh(Avx.LoadVector256(source), Avx.LoadVector256(source + strideB));
            var t2 = Avx.UnpackLow(Avx.LoadVector256(source + 2 * (nint)strideB), Avx.LoadVector256(source + 3 * (nint)strideB));
            var t3 = Avx.UnpackHigh(Avx.LoadVector256(source + 2 * (nint)strideB), Avx.LoadVector256(source + 3 * (nint)strideB));
            var t4 = Avx.UnpackLow(Avx.LoadVector256(source + 4 * (nint)strideB), Avx.LoadVector256(source + 5 * (nint)strideB));
            var t5 = Avx.UnpackHigh(Avx.LoadVector256(source + 4 * (nint)strideB), Avx.LoadVector256(source + 5 * (nint)strideB));
            var t6 = Avx.UnpackLow(Avx.LoadVector256(source + 6 * (nint)strideB), Avx.LoadVector256(source + 7 * (nint)strideB));
            var t7 = Avx.UnpackHigh(Avx.LoadVector256(source + 6 * (nint)strideB), Avx.LoadVector256(source + 7 * (nint)strideB));
            var s0 = Avx.Shuffle(t0, t2, 0x44);
            var s1 = Avx.Shuffle(t0, t2, 0xEE);
            var s2 = Avx.Shuffle(t1, t3, 0x44);
            var s3 = Avx.Shuffle(t1, t3, 0xEE);
            var s4 = Avx.Shuffle(t4, t6, 0x44);
            var s5 = Avx.Shuffle(t4, t6, 0xEE);
            var s6 = Avx.Shuffle(t5, t7, 0x44);
            var s7 = Avx.Shuffle(t5, t7, 0xEE);
            var output = target + (nint)k * panelWidth;
            Avx.Store(output, Avx.Permute2x128(s0, s4, 0x20));
            Avx.Store(output + panelWidth, Avx.Permute2x128(s1, s5, 0x20));
            Avx.Store(output + 2 * panelWidth, Avx.Permute2x128(s2, s6, 0x20));
            Avx.Store(output + 3 * panelWidth, Avx.Permute2x128(s3, s7, 0x20));
            Avx.Store(output + 4 * panelWidth, Avx.Permute2x128(s0, s4, 0x31));
            Avx.Store(output + 5 * panelWidth, Avx.Permute2x128(s1, s5, 0x31));
            Avx.Store(output + 6 * panelWidth, Avx.Permute2x128(s2, s6, 0x31));
            Avx.Store(output + 7 * panelWidth, Avx.Permute2x128(s3, s7, 0x31));
        }
        for (; k < depth; k++)
        {
            for (var j = 0; j < 8; j++)
                target[(nint)k * panelWidth + j] = rows[(nint)j * strideB + k];
        }
    }

    /// <summary>Packs op(B)[depthStart.., columnStart..] of size depth × columnCount into <paramref name="destination"/>.</summary>
    public static unsafe void PackB(float* b, int strideB, bool transposeB, int depthStart, int depth, int columnStart, int columnCount, int panelWidth, float* destination)
    {
        for (var strip = 0; strip < columnCount; strip += panelWidth)
        {
            var columns = Math.Min(panelWidth, columnCount - strip);
            var panel = destination + (nint)strip * depth;
            if (transposeB)
            {
                var j = 0;
                if (Avx.IsSupported && panelWidth % 8 == 0)
                {
                    for (; j + 8 <= columns; j += 8)
                        PackTransposedColumns8(b + (nint)(columnStart + strip + j) * strideB + depthStart, strideB, depth, panel + j, panelWidth);
                }
                // op(B)[k, j] = b[j, k]: read each stored row contiguously.
                for (; j < columns; j++)
                {
                    var source = b + (nint)(columnStart + strip + j) * strideB + depthStart;
                    var target = panel + j;
                    for (var k = 0; k < depth; k++)
                        target[(nint)k * panelWidth] = source[k];
                }
                for (j = columns; j < panelWidth; j++)
                {
                    for (var k = 0; k < depth; k++)
                        panel[(nint)k * panelWidth + j] = 0f;
                }
            }
            else if (columns == panelWidth && Vector256.IsHardwareAccelerated && panelWidth % 8 == 0)
            {
                // Strips are 64 or 128 bytes: vector copies, where a MemoryCopy call per row cost more than the copy.
                for (var k = 0; k < depth; k++)
                {
                    var source = b + (nint)(depthStart + k) * strideB + columnStart + strip;
                    var target = panel + (nint)k * panelWidth;
                    for (var j = 0; j < panelWidth; j += 8)
                        Vector256.Store(Vector256.Load(source + j), target + j);
                }
            }
            else if (columns == panelWidth)
            {
                var bytes = (uint)(panelWidth * sizeof(float));
                for (var k = 0; k < depth; k++)
                    Buffer.MemoryCopy(b + (nint)(depthStart + k) * strideB + columnStart + strip, panel + (nint)k * panelWidth, bytes, bytes);
            }
            else
            {
                for (var k = 0; k < depth; k++)
                {
                    var source = b + (nint)(depthStart + k) * strideB + columnStart + strip;
                    var target = panel + (nint)k * panelWidth;
                    for (var j = 0; j < columns; j++)
                        target[j] = source[j];
                    for (var j = columns; j < panelWidth; j++)
                        target[j] = 0f;
                }
            }
        }
    }
}
