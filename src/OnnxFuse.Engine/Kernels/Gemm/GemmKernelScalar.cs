namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// The scalar reference GEMM: C = activation(alpha · op(A) · op(B) + beta · C + bias), see <see cref="GemmParameters"/>
/// for shapes. Straight loops (i, k, j order for cache-friendly rows), one thread, no packing; the fast variants are
/// tested against it and it is the fallback when no vector width is allowed.
/// </summary>
public static class GemmKernelScalar
{
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, in GemmParameters p, Span<float> c)
    {
        GemmChecks.Dimensions(p);
        GemmChecks.A(p, a.Length);
        GemmChecks.B(p, b.Length);
        GemmChecks.C(p, c.Length);
        GemmChecks.Bias(p, bias.Length);
        Core(a, p.StrideA, p.TransposeA, b, p.StrideB, p.TransposeB, bias, p, c);
    }

    /// <summary>op(B) prepacked by <see cref="PackedMatrix.PackB"/> for <see cref="GemmVariant.Scalar"/>.</summary>
    public static void Run(ReadOnlySpan<float> a, PackedMatrix b, ReadOnlySpan<float> bias, in GemmParameters p, Span<float> c)
    {
        GemmChecks.Dimensions(p);
        GemmChecks.A(p, a.Length);
        GemmDriver.CheckPacked(b, PackedOperand.B, p.ColumnCount, p.Depth, GemmVariant.Scalar);
        GemmChecks.C(p, c.Length);
        GemmChecks.Bias(p, bias.Length);
        Core(a, p.StrideA, p.TransposeA, PackedSpan(b), p.Depth, true, bias, p, c);
    }

    /// <summary>op(A) prepacked by <see cref="PackedMatrix.PackA"/> for <see cref="GemmVariant.Scalar"/>.</summary>
    public static void Run(PackedMatrix a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, in GemmParameters p, Span<float> c)
    {
        GemmChecks.Dimensions(p);
        GemmDriver.CheckPacked(a, PackedOperand.A, p.RowCount, p.Depth, GemmVariant.Scalar);
        GemmChecks.B(p, b.Length);
        GemmChecks.C(p, c.Length);
        GemmChecks.Bias(p, bias.Length);
        Core(PackedSpan(a), p.Depth, false, b, p.StrideB, p.TransposeB, bias, p, c);
    }

    /// <summary>Strided batch (see <see cref="GemmBatch"/>); <paramref name="b"/> may be prepacked by passing <paramref name="packedB"/>.</summary>
    public static void RunStridedBatch(ReadOnlySpan<float> a, ReadOnlySpan<float> b, PackedMatrix? packedB, ReadOnlySpan<float> bias,
        in GemmParameters p, GemmBatch batch, Span<float> c)
    {
        batch.Validate();
        for (var i = 0; i < batch.Count; i++)
        {
            var entryA = a[(int)(i * batch.StrideA)..];
            var entryC = c[(int)(i * batch.StrideC)..];
            if (packedB is null)
                Run(entryA, b[(int)(i * batch.StrideB)..], bias, p, entryC);
            else
                Run(entryA, packedB, bias, p, entryC);
        }
    }

    static unsafe ReadOnlySpan<float> PackedSpan(PackedMatrix packed) =>
        new(packed.Data, packed.PaddedOuterCount * packed.Depth);

    static void Core(ReadOnlySpan<float> a, int strideA, bool transposeA, ReadOnlySpan<float> b, int strideB, bool transposeB,
        ReadOnlySpan<float> bias, in GemmParameters p, Span<float> c)
    {
        var (rowCount, columnCount, depth) = p;
        for (var i = 0; i < rowCount; i++)
        {
            var row = c.Slice(i * p.StrideC, columnCount);
            if (p.Beta == 0f)
                row.Clear();
            else if (p.Beta != 1f)
            {
                for (var j = 0; j < columnCount; j++)
                    row[j] *= p.Beta;
            }

            if (transposeB)
            {
                for (var j = 0; j < columnCount; j++)
                {
                    var sum = 0f;
                    for (var k = 0; k < depth; k++)
                        sum += ElementA(a, strideA, transposeA, i, k) * b[j * strideB + k];
                    row[j] += p.Alpha * sum;
                }
            }
            else
            {
                for (var k = 0; k < depth; k++)
                {
                    var scaled = p.Alpha * ElementA(a, strideA, transposeA, i, k);
                    var bRow = b.Slice(k * strideB, columnCount);
                    for (var j = 0; j < columnCount; j++)
                        row[j] += scaled * bRow[j];
                }
            }

            for (var j = 0; j < columnCount; j++)
            {
                var value = p.BiasKind switch
                {
                    BiasKind.PerColumn => row[j] + bias[j],
                    BiasKind.PerRow => row[j] + bias[i],
                    _ => row[j],
                };
                row[j] = p.Activation.Apply(value);
            }
        }
    }

    static float ElementA(ReadOnlySpan<float> a, int strideA, bool transposeA, int row, int k) =>
        transposeA ? a[k * strideA + row] : a[row * strideA + k];
}
