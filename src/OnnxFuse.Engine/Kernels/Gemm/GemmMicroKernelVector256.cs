using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// 6×16 tile with Vector256 FMAs: 12 accumulators + 2 B vectors + 1 broadcast = 15 of the 16 ymm registers.
/// Blocks: a 256-deep B strip is 16 KiB (half of L1d), a 144×256 A block is 144 KiB (L2), the B panel 256 × 4080 in L3.
/// </summary>
readonly struct GemmMicroKernelVector256 : IGemmMicroKernel
{
    public static int RowTile => 6;
    public static int ColumnTile => 16;
    public static int DepthBlock => 256;
    public static int RowBlock => 144;
    public static int ColumnBlock => 4080;

    [SkipLocalsInit]
    public static unsafe void Run(float* packedA, float* packedB, int depth, float alpha, float beta, int rowCount, int columnCount, float* c, int strideC)
    {
        var c00 = Vector256<float>.Zero;
        var c01 = Vector256<float>.Zero;
        var c10 = Vector256<float>.Zero;
        var c11 = Vector256<float>.Zero;
        var c20 = Vector256<float>.Zero;
        var c21 = Vector256<float>.Zero;
        var c30 = Vector256<float>.Zero;
        var c31 = Vector256<float>.Zero;
        var c40 = Vector256<float>.Zero;
        var c41 = Vector256<float>.Zero;
        var c50 = Vector256<float>.Zero;
        var c51 = Vector256<float>.Zero;
        if (Sse.IsSupported)
        {
            // C rows are far apart (one per leading dimension) and often out of L1; fetch them while the FMAs run
            // instead of stalling on them at the store.
            for (var r = 0; r < rowCount; r++)
            {
                Sse.Prefetch0(c + (nint)r * strideC);
                Sse.Prefetch0(c + (nint)r * strideC + 15);
            }
        }
        var a = packedA;
        var b = packedB;
        for (var k = 0; k < depth; k++)
        {
            var b0 = Vector256.Load(b + 0);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Vector256.MultiplyAddEstimate(a0, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Vector256.MultiplyAddEstimate(a1, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Vector256.MultiplyAddEstimate(a2, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Vector256.MultiplyAddEstimate(a3, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Vector256.MultiplyAddEstimate(a4, b0, c40);
            c41 = Vector256.MultiplyAddEstimate(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Vector256.MultiplyAddEstimate(a5, b0, c50);
            c51 = Vector256.MultiplyAddEstimate(a5, b1, c51);
            a += 6;
            b += 16;
        }

        if (rowCount == 6 && columnCount == 16)
        {
            StoreRow(c + 0 * strideC, c00, c01, alpha, beta);
            StoreRow(c + 1 * strideC, c10, c11, alpha, beta);
            StoreRow(c + 2 * strideC, c20, c21, alpha, beta);
            StoreRow(c + 3 * strideC, c30, c31, alpha, beta);
            StoreRow(c + 4 * strideC, c40, c41, alpha, beta);
            StoreRow(c + 5 * strideC, c50, c51, alpha, beta);
            return;
        }

        // Edge tile: spill the padded tile and copy the valid corner.
        var tile = stackalloc float[96];
        StoreRow(tile + 0, c00, c01, alpha, 0f);
        StoreRow(tile + 16, c10, c11, alpha, 0f);
        StoreRow(tile + 32, c20, c21, alpha, 0f);
        StoreRow(tile + 48, c30, c31, alpha, 0f);
        StoreRow(tile + 64, c40, c41, alpha, 0f);
        StoreRow(tile + 80, c50, c51, alpha, 0f);
        GemmTile.CopyCorner(tile, ColumnTile, rowCount, columnCount, beta, c, strideC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void StoreRow(float* c, Vector256<float> x0, Vector256<float> x1, float alpha, float beta)
    {
        var scale = Vector256.Create(alpha);
        if (beta == 0f)
        {
            (x0 * scale).Store(c + 0);
            (x1 * scale).Store(c + 8);
            return;
        }
        var keep = Vector256.Create(beta);
        Vector256.MultiplyAddEstimate(Vector256.Load(c + 0), keep, x0 * scale).Store(c + 0);
        Vector256.MultiplyAddEstimate(Vector256.Load(c + 8), keep, x1 * scale).Store(c + 8);
    }
}
