using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// 8×32 tile with Vector512 FMAs: 16 accumulators + 2 B vectors + 1 broadcast = 19 of the 32 zmm registers.
/// Blocks: a 256-deep B strip is 32 KiB, a 192×256 A block 192 KiB (L2), the B panel 256 × 4096 in L3.
/// </summary>
readonly struct GemmMicroKernelVector512 : IGemmMicroKernel
{
    public static int RowTile => 8;
    public static int NarrowRowTile => 8;
    public static int ColumnTile => 32;
    public static int DepthBlock => 256;
    public static int RowBlock => 192;
    public static int ColumnBlock => 4096;

    [SkipLocalsInit]
    public static unsafe void Run(float* a, nint rowStride, nint depthStride, float* packedB, float* columnBias, int depth, float alpha,
        float beta, int rowCount, int columnCount, float* c, int strideC)
    {
        var last = rowCount - 1;
        var r0 = a;
        var r1 = a + Math.Min(1, last) * rowStride;
        var r2 = a + Math.Min(2, last) * rowStride;
        var r3 = a + Math.Min(3, last) * rowStride;
        var r4 = a + Math.Min(4, last) * rowStride;
        var r5 = a + Math.Min(5, last) * rowStride;
        var r6 = a + Math.Min(6, last) * rowStride;
        var r7 = a + Math.Min(7, last) * rowStride;
        var c00 = Vector512<float>.Zero;
        var c01 = Vector512<float>.Zero;
        var c10 = Vector512<float>.Zero;
        var c11 = Vector512<float>.Zero;
        var c20 = Vector512<float>.Zero;
        var c21 = Vector512<float>.Zero;
        var c30 = Vector512<float>.Zero;
        var c31 = Vector512<float>.Zero;
        var c40 = Vector512<float>.Zero;
        var c41 = Vector512<float>.Zero;
        var c50 = Vector512<float>.Zero;
        var c51 = Vector512<float>.Zero;
        var c60 = Vector512<float>.Zero;
        var c61 = Vector512<float>.Zero;
        var c70 = Vector512<float>.Zero;
        var c71 = Vector512<float>.Zero;
        if (Sse.IsSupported)
        {
            // C rows are far apart (one per leading dimension) and often out of L1; fetch them while the FMAs run
            // instead of stalling on them at the store.
            for (var r = 0; r < rowCount; r++)
            {
                Sse.Prefetch0(c + (nint)r * strideC);
                Sse.Prefetch0(c + (nint)r * strideC + 31);
            }
        }
        var b = packedB;
        nint offset = 0;
        for (var k = 0; k < depth; k++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(r0[offset]);
            c00 = Vector512.MultiplyAddEstimate(a0, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(a0, b1, c01);
            var a1 = Vector512.Create(r1[offset]);
            c10 = Vector512.MultiplyAddEstimate(a1, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(a1, b1, c11);
            var a2 = Vector512.Create(r2[offset]);
            c20 = Vector512.MultiplyAddEstimate(a2, b0, c20);
            c21 = Vector512.MultiplyAddEstimate(a2, b1, c21);
            var a3 = Vector512.Create(r3[offset]);
            c30 = Vector512.MultiplyAddEstimate(a3, b0, c30);
            c31 = Vector512.MultiplyAddEstimate(a3, b1, c31);
            var a4 = Vector512.Create(r4[offset]);
            c40 = Vector512.MultiplyAddEstimate(a4, b0, c40);
            c41 = Vector512.MultiplyAddEstimate(a4, b1, c41);
            var a5 = Vector512.Create(r5[offset]);
            c50 = Vector512.MultiplyAddEstimate(a5, b0, c50);
            c51 = Vector512.MultiplyAddEstimate(a5, b1, c51);
            var a6 = Vector512.Create(r6[offset]);
            c60 = Vector512.MultiplyAddEstimate(a6, b0, c60);
            c61 = Vector512.MultiplyAddEstimate(a6, b1, c61);
            var a7 = Vector512.Create(r7[offset]);
            c70 = Vector512.MultiplyAddEstimate(a7, b0, c70);
            c71 = Vector512.MultiplyAddEstimate(a7, b1, c71);
            offset += depthStride;
            b += 32;
        }
        if (columnBias != null)
        {
            var bias0 = Vector512.Load(columnBias);
            var bias1 = Vector512.Load(columnBias + 16);
            c00 += bias0;
            c01 += bias1;
            c10 += bias0;
            c11 += bias1;
            c20 += bias0;
            c21 += bias1;
            c30 += bias0;
            c31 += bias1;
            c40 += bias0;
            c41 += bias1;
            c50 += bias0;
            c51 += bias1;
            c60 += bias0;
            c61 += bias1;
            c70 += bias0;
            c71 += bias1;
        }

        if (rowCount == 8 && columnCount == 32)
        {
            StoreRow(c + 0 * strideC, c00, c01, alpha, beta);
            StoreRow(c + 1 * strideC, c10, c11, alpha, beta);
            StoreRow(c + 2 * strideC, c20, c21, alpha, beta);
            StoreRow(c + 3 * strideC, c30, c31, alpha, beta);
            StoreRow(c + 4 * strideC, c40, c41, alpha, beta);
            StoreRow(c + 5 * strideC, c50, c51, alpha, beta);
            StoreRow(c + 6 * strideC, c60, c61, alpha, beta);
            StoreRow(c + 7 * strideC, c70, c71, alpha, beta);
            return;
        }

        // Edge tile: spill the padded tile and copy the valid corner.
        var tile = stackalloc float[256];
        StoreRow(tile + 0, c00, c01, alpha, 0f);
        StoreRow(tile + 32, c10, c11, alpha, 0f);
        StoreRow(tile + 64, c20, c21, alpha, 0f);
        StoreRow(tile + 96, c30, c31, alpha, 0f);
        StoreRow(tile + 128, c40, c41, alpha, 0f);
        StoreRow(tile + 160, c50, c51, alpha, 0f);
        StoreRow(tile + 192, c60, c61, alpha, 0f);
        StoreRow(tile + 224, c70, c71, alpha, 0f);
        GemmTile.CopyCorner(tile, ColumnTile, rowCount, columnCount, beta, c, strideC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void StoreRow(float* c, Vector512<float> x0, Vector512<float> x1, float alpha, float beta)
    {
        var scale = Vector512.Create(alpha);
        if (beta == 0f)
        {
            (x0 * scale).Store(c + 0);
            (x1 * scale).Store(c + 16);
            return;
        }
        var keep = Vector512.Create(beta);
        Vector512.MultiplyAddEstimate(Vector512.Load(c + 0), keep, x0 * scale).Store(c + 0);
        Vector512.MultiplyAddEstimate(Vector512.Load(c + 16), keep, x1 * scale).Store(c + 16);
    }
}
