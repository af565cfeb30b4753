using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Cli.Inspection;

/// <summary>Min, max and mean of a numeric tensor's elements (NaNs propagate), for one-line output summaries.</summary>
sealed record TensorStatistics(double Min, double Max, double Mean)
{
    /// <summary>Null for empty or non-numeric tensors.</summary>
    public static TensorStatistics? Of(TensorData tensor)
    {
        if (tensor.ElementCount == 0)
            return null;
        return tensor.ElementType switch
        {
            ElementType.Float => From(tensor.AsSpan<float>(), v => v),
            ElementType.Double => From(tensor.AsSpan<double>(), v => v),
            ElementType.Float16 => From(tensor.AsSpan<Half>(), v => (double)v),
            ElementType.Int64 => From(tensor.AsSpan<long>(), v => v),
            ElementType.Int32 => From(tensor.AsSpan<int>(), v => v),
            ElementType.Int8 => From(tensor.AsSpan<sbyte>(), v => v),
            ElementType.UInt8 or ElementType.Bool => From(tensor.Bytes.Span, v => v),
            _ => null,
        };
    }

    static TensorStatistics From<T>(ReadOnlySpan<T> values, Func<T, double> convert)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        foreach (var value in values)
        {
            var v = convert(value);
            min = double.IsNaN(v) ? v : Math.Min(min, v);
            max = double.IsNaN(v) ? v : Math.Max(max, v);
            sum += v;
        }
        return new TensorStatistics(min, max, sum / values.Length);
    }
}
