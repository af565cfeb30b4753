using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests;

/// <summary>Tolerance checks used across the engine tests; each caller states its oracle and tolerance.</summary>
static class Numerics
{
    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected| element-wise; returns the worst absolute and relative errors.</summary>
    public static (double MaxAbs, double MaxRel) AssertClose(TensorData expected, TensorData actual, double rtol, double atol)
    {
        Assert.Equal(expected.ElementType, actual.ElementType);
        Assert.Equal(expected.Dims, actual.Dims);
        var e = ToDoubles(expected);
        var a = ToDoubles(actual);
        double maxAbs = 0, maxRel = 0;
        for (var i = 0; i < e.Length; i++)
        {
            var diff = Math.Abs(e[i] - a[i]);
            if (double.IsNaN(e[i]) && double.IsNaN(a[i]))
                continue;
            maxAbs = Math.Max(maxAbs, diff);
            maxRel = Math.Max(maxRel, diff / Math.Max(Math.Abs(e[i]), 1e-30));
            if (!(diff <= atol + rtol * Math.Abs(e[i])))
                Assert.Fail($"element {i}: expected {e[i]}, got {a[i]} (|diff| {diff:g3} > atol {atol} + rtol {rtol}·|expected|)");
        }
        return (maxAbs, maxRel);
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float rtol, float atol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= atol + rtol * Math.Abs(expected[i])))
                Assert.Fail($"element {i}: expected {expected[i]}, got {actual[i]} (atol {atol}, rtol {rtol})");
    }

    public static double[] ToDoubles(TensorData data) => data.ElementType switch
    {
        ElementType.Float => [.. data.ToArray<float>().Select(v => (double)v)],
        ElementType.Double => data.ToArray<double>(),
        ElementType.Float16 => [.. data.ToArray<Half>().Select(v => (double)v)],
        ElementType.Int64 => [.. data.ToArray<long>().Select(v => (double)v)],
        ElementType.Int32 => [.. data.ToArray<int>().Select(v => (double)v)],
        ElementType.Int8 => [.. data.ToArray<sbyte>().Select(v => (double)v)],
        ElementType.UInt8 or ElementType.Bool => [.. data.ToArray<byte>().Select(v => (double)v)],
        ElementType.Int16 => [.. data.ToArray<short>().Select(v => (double)v)],
        ElementType.UInt16 => [.. data.ToArray<ushort>().Select(v => (double)v)],
        ElementType.UInt32 => [.. data.ToArray<uint>().Select(v => (double)v)],
        ElementType.UInt64 => [.. data.ToArray<ulong>().Select(v => (double)v)],
        _ => throw new NotSupportedException(data.ElementType.ToString()),
    };
}
