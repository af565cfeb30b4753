using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OnnxFuse.Engine.Kernels.LinearAlgebra;

/// <summary>
/// A straightforward row-major GEMM: loop order i-k-j, four rows of B folded into each pass over a row of C with
/// <see cref="Vector{T}"/> multiply-adds, so C stays in cache and B streams. Large products split rows across threads.
/// </summary>
sealed class SimpleGemm : IGemm
{
    // Below this many multiply-adds, starting threads costs more than it saves.
    const long ParallelThreshold = 1L << 20;

    public unsafe void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int rowCount, int innerCount, int columnCount,
        bool accumulate, int threadCount, Span<float> c)
    {
        if (rowCount == 0 || columnCount == 0)
            return;
        var work = (long)rowCount * innerCount * columnCount;
        if (threadCount <= 1 || rowCount < 2 || work < ParallelThreshold)
        {
            MultiplyRows(a, b, 0, rowCount, innerCount, columnCount, accumulate, c);
            return;
        }
        var chunks = Math.Min(threadCount, rowCount);
        fixed (float* aPointer = a, bPointer = b, cPointer = c)
        {
            nint aAddress = (nint)aPointer, bAddress = (nint)bPointer, cAddress = (nint)cPointer;
            int aLength = a.Length, bLength = b.Length, cLength = c.Length;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threadCount }, chunk =>
            {
                var start = (int)((long)rowCount * chunk / chunks);
                var end = (int)((long)rowCount * (chunk + 1) / chunks);
                MultiplyRows(new ReadOnlySpan<float>((void*)aAddress, aLength), new ReadOnlySpan<float>((void*)bAddress, bLength),
                    start, end, innerCount, columnCount, accumulate, new Span<float>((void*)cAddress, cLength));
            });
        }
    }

    static void MultiplyRows(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int rowStart, int rowEnd, int innerCount, int columnCount,
        bool accumulate, Span<float> c)
    {
        for (var row = rowStart; row < rowEnd; row++)
        {
            var cRow = c.Slice(row * columnCount, columnCount);
            if (!accumulate)
                cRow.Clear();
            var aRow = a.Slice(row * innerCount, innerCount);
            var k = 0;
            for (; k + 4 <= innerCount; k += 4)
                MultiplyAdd4(aRow[k], aRow[k + 1], aRow[k + 2], aRow[k + 3], b.Slice(k * columnCount, 4 * columnCount), columnCount, cRow);
            for (; k < innerCount; k++)
            {
                if (aRow[k] != 0f)
                    TensorPrimitives.MultiplyAdd(b.Slice(k * columnCount, columnCount), aRow[k], cRow, cRow);
            }
        }
    }

    /// <summary>cRow += a0·B[0] + a1·B[1] + a2·B[2] + a3·B[3] for four consecutive rows of B.</summary>
    static void MultiplyAdd4(float a0, float a1, float a2, float a3, ReadOnlySpan<float> bRows, int columnCount, Span<float> cRow)
    {
        ref var b0 = ref MemoryMarshal.GetReference(bRows);
        ref var b1 = ref Unsafe.Add(ref b0, columnCount);
        ref var b2 = ref Unsafe.Add(ref b1, columnCount);
        ref var b3 = ref Unsafe.Add(ref b2, columnCount);
        ref var cRef = ref MemoryMarshal.GetReference(cRow);
        var j = 0;
        if (Vector.IsHardwareAccelerated && columnCount >= Vector<float>.Count)
        {
            var v0 = new Vector<float>(a0);
            var v1 = new Vector<float>(a1);
            var v2 = new Vector<float>(a2);
            var v3 = new Vector<float>(a3);
            for (; j <= columnCount - Vector<float>.Count; j += Vector<float>.Count)
            {
                var sum = Vector.LoadUnsafe(ref cRef, (nuint)j);
                sum = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref b0, (nuint)j), v0, sum);
                sum = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref b1, (nuint)j), v1, sum);
                sum = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref b2, (nuint)j), v2, sum);
                sum = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref b3, (nuint)j), v3, sum);
                sum.StoreUnsafe(ref cRef, (nuint)j);
            }
        }
        for (; j < columnCount; j++)
        {
            Unsafe.Add(ref cRef, j) += a0 * Unsafe.Add(ref b0, j) + a1 * Unsafe.Add(ref b1, j)
                + a2 * Unsafe.Add(ref b2, j) + a3 * Unsafe.Add(ref b3, j);
        }
    }
}
