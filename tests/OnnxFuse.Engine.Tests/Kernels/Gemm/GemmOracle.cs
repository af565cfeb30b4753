using OnnxFuse.Engine.Kernels;
using OnnxFuse.Engine.Kernels.Gemm;

namespace OnnxFuse.Engine.Tests.Kernels.Gemm;

/// <summary>
/// Runs a GEMM variant on seeded data and compares it with a double-precision evaluation of
/// C = act(alpha·op(A)·op(B) + beta·C + bias). Tolerance per element:
/// |Δ| ≤ 1e-5 · (|alpha|·Σ|a·b| + |beta·c| + |bias|) + 2e-6 (the activations' own approximation error).
/// </summary>
static class GemmOracle
{
    public const double RelativeTolerance = 1e-5;
    public const double AbsoluteTolerance = 2e-6;

    public static void Check(GemmVariant variant, GemmParameters p, bool prepackA = false, bool prepackB = false, int seed = 1, int batchCount = 0)
    {
        var (rows, columns, depth) = p;
        var storedRowsA = p.TransposeA ? depth : rows;
        var storedRowsB = p.TransposeB ? columns : depth;
        var a = TestData.Uniform(Math.Max(0, (storedRowsA - 1) * p.StrideA + (p.TransposeA ? rows : depth)) + 3, -1, 1, seed);
        var b = TestData.Uniform(Math.Max(0, (storedRowsB - 1) * p.StrideB + (p.TransposeB ? depth : columns)) + 3, -1, 1, seed + 1);
        var cLength = Math.Max(0, (rows - 1) * p.StrideC + columns);
        var c = TestData.Uniform(cLength + 5, -1, 1, seed + 2);
        if (p.Beta == 0f)
            Array.Fill(c, float.NaN, 0, cLength);
        var biasLength = p.BiasKind == BiasKind.PerRow ? rows : p.BiasKind == BiasKind.PerColumn ? columns : 0;
        var bias = TestData.Uniform(biasLength, -1, 1, seed + 3);
        var original = (float[])c.Clone();

        Run(variant, a, b, bias, p, prepackA, prepackB, c);

        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                double sum = 0, magnitude = 0;
                for (var k = 0; k < depth; k++)
                {
                    var product = (double)(p.TransposeA ? a[k * p.StrideA + i] : a[i * p.StrideA + k])
                        * (p.TransposeB ? b[j * p.StrideB + k] : b[k * p.StrideB + j]);
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                var previous = p.Beta == 0f ? 0.0 : original[i * p.StrideC + j];
                var biasValue = p.BiasKind == BiasKind.PerRow ? bias[i] : p.BiasKind == BiasKind.PerColumn ? bias[j] : 0.0;
                var linear = p.Alpha * sum + p.Beta * previous + biasValue;
                var expected = p.Activation.Apply((float)linear);
                var scale = Math.Abs(p.Alpha) * magnitude + Math.Abs(p.Beta * previous) + Math.Abs(biasValue);
                var actual = c[i * p.StrideC + j];
                var tolerance = RelativeTolerance * scale + AbsoluteTolerance;
                if (!(Math.Abs(actual - expected) <= tolerance))
                    Assert.Fail($"{variant} {p} packA={prepackA} packB={prepackB}: C[{i},{j}] = {actual}, expected {expected} (tolerance {tolerance:E2})");
            }
        }
        for (var index = cLength; index < c.Length; index++)
            Assert.Equal(original[index], c[index]);
    }

    static void Run(GemmVariant variant, float[] a, float[] b, float[] bias, GemmParameters p, bool prepackA, bool prepackB, float[] c)
    {
        if (prepackA)
        {
            var packed = PackedMatrix.PackA(a, p.RowCount, p.Depth, p.TransposeA, p.LeadingA, variant);
            var q = p with { TransposeA = false, LeadingA = 0 };
            switch (variant)
            {
                case GemmVariant.Scalar: GemmKernelScalar.Run(packed, b, bias, q, c); break;
                case GemmVariant.Vector256: GemmKernelVector256.Run(packed, b, bias, q, c); break;
                default: GemmKernelVector512.Run(packed, b, bias, q, c); break;
            }
        }
        else if (prepackB)
        {
            var packed = PackedMatrix.PackB(b, p.Depth, p.ColumnCount, p.TransposeB, p.LeadingB, variant);
            var q = p with { TransposeB = false, LeadingB = 0 };
            switch (variant)
            {
                case GemmVariant.Scalar: GemmKernelScalar.Run(a, packed, bias, q, c); break;
                case GemmVariant.Vector256: GemmKernelVector256.Run(a, packed, bias, q, c); break;
                default: GemmKernelVector512.Run(a, packed, bias, q, c); break;
            }
        }
        else
        {
            switch (variant)
            {
                case GemmVariant.Scalar: GemmKernelScalar.Run(a, b, bias, p, c); break;
                case GemmVariant.Vector256: GemmKernelVector256.Run(a, b, bias, p, c); break;
                default: GemmKernelVector512.Run(a, b, bias, p, c); break;
            }
        }
    }

    public static GemmParameters With(this GemmParameters p, Activation activation) => p with { Activation = activation };
}
