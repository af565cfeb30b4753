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
            Store(c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, alpha, beta, c, strideC);
            return;
        }
        // Edge tile: spill the padded tile and copy the valid corner.
        var tile = stackalloc float[96];
        Store(c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, alpha, 0f, tile, ColumnTile);
        GemmTile.CopyCorner(tile, ColumnTile, rowCount, columnCount, beta, c, strideC);
    }

    /// <summary>
    /// As <see cref="Run"/> with A read where it lies instead of packed: element (r, k) of the tile is
    /// <c>a[r·strideA + k]</c>. The kernel broadcasts A elements one at a time, so an unpacked A costs nothing
    /// extra. Rows at or past <paramref name="rowCount"/> read the last valid row again and are dropped, so a partial
    /// tile reads nothing outside A. For short, strided left operands used once per B strip (attention's Q rows and
    /// probabilities), where packing them would cost a large share of the product.
    /// </summary>
    [SkipLocalsInit]
    public static unsafe void RunStridedA(float* a, int strideA, float* packedB, int depth, float alpha, float beta, int rowCount, int columnCount,
        float* c, int strideC)
    {
        var last = rowCount - 1;
        var a0 = a;
        var a1 = a + (nint)Math.Min(1, last) * strideA;
        var a2 = a + (nint)Math.Min(2, last) * strideA;
        var a3 = a + (nint)Math.Min(3, last) * strideA;
        var a4 = a + (nint)Math.Min(4, last) * strideA;
        var a5 = a + (nint)Math.Min(5, last) * strideA;
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
        var b = packedB;
        for (nint k = 0; k < depth; k++)
        {
            var b0 = Vector256.Load(b + 0);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a0[k]);
            c00 = Vector256.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(x, b1, c01);
            x = Vector256.Create(a1[k]);
            c10 = Vector256.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(x, b1, c11);
            x = Vector256.Create(a2[k]);
            c20 = Vector256.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(x, b1, c21);
            x = Vector256.Create(a3[k]);
            c30 = Vector256.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(x, b1, c31);
            x = Vector256.Create(a4[k]);
            c40 = Vector256.MultiplyAddEstimate(x, b0, c40);
            c41 = Vector256.MultiplyAddEstimate(x, b1, c41);
            x = Vector256.Create(a5[k]);
            c50 = Vector256.MultiplyAddEstimate(x, b0, c50);
            c51 = Vector256.MultiplyAddEstimate(x, b1, c51);
            b += 16;
        }
        if (rowCount == 6 && columnCount == 16)
        {
            Store(c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, alpha, beta, c, strideC);
            return;
        }
        // Edge tile: spill the padded tile and copy the valid corner.
        var tile = stackalloc float[96];
        Store(c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, alpha, 0f, tile, ColumnTile);
        GemmTile.CopyCorner(tile, ColumnTile, rowCount, columnCount, beta, c, strideC);
    }

    /// <summary>Writes the full tile to <paramref name="c"/>: alpha · tile + beta · C (beta = 0 never reads C).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void Store(Vector256<float> c00, Vector256<float> c01, Vector256<float> c10, Vector256<float> c11, Vector256<float> c20,
        Vector256<float> c21, Vector256<float> c30, Vector256<float> c31, Vector256<float> c40, Vector256<float> c41, Vector256<float> c50,
        Vector256<float> c51, float alpha, float beta, float* c, int strideC)
    {
        StoreRow(c + 0 * strideC, c00, c01, alpha, beta);
        StoreRow(c + 1 * strideC, c10, c11, alpha, beta);
        StoreRow(c + 2 * strideC, c20, c21, alpha, beta);
        StoreRow(c + 3 * strideC, c30, c31, alpha, beta);
        StoreRow(c + 4 * strideC, c40, c41, alpha, beta);
        StoreRow(c + 5 * strideC, c50, c51, alpha, beta);
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
