using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Quantization;

namespace OnnxFuse.Passes.Tests.Quantization;

public sealed class CalibrationTests
{
    /// <summary>Hands back fixed tensors, one dictionary per sample, whatever the model.</summary>
    sealed class FixedObserver(params float[][] samples) : IActivationObserver
    {
        public IEnumerable<IReadOnlyDictionary<string, TensorData>> Observe(Model model, IReadOnlyCollection<string> valueNames,
            IEnumerable<IReadOnlyDictionary<string, TensorData>> inputs) =>
            samples.Select(values => (IReadOnlyDictionary<string, TensorData>)new Dictionary<string, TensorData> { ["v"] = TensorData.Create<float>([values.Length], values) });
    }

    static readonly Model s_model = new(new Graph());

    [Fact]
    public void Min_max_takes_the_extremes_over_all_samples()
    {
        var observer = new FixedObserver([-1, 0, 2], [-3, 1, 0.5f]);

        var range = Calibration.Ranges(s_model, ["v"], observer, [], CalibrationMethod.MinMax)["v"];

        Assert.Equal(new ActivationRange(-3, 2), range);
    }

    [Fact]
    public void Percentile_clips_outliers_and_averages_over_samples()
    {
        var first = Enumerable.Range(0, 101).Select(i => (float)i).ToArray();
        first[100] = 1000;
        var second = Enumerable.Range(0, 101).Select(i => (float)-i).ToArray();
        var observer = new FixedObserver(first, second);

        var range = Calibration.Ranges(s_model, ["v"], observer, [], CalibrationMethod.Percentile, percentile: 99)["v"];

        Assert.Equal((1 + -99) / 2f, range.Min);
        Assert.Equal((99 + -1) / 2f, range.Max);
    }

    [Theory]
    [InlineData(-1f, 3f, QuantizedType.UInt8, QuantizationScheme.Affine, 4f / 255, 64)]
    [InlineData(0.5f, 3f, QuantizedType.UInt8, QuantizationScheme.Affine, 3f / 255, 0)]
    [InlineData(-1f, 3f, QuantizedType.Int8, QuantizationScheme.Affine, 4f / 255, -64)]
    [InlineData(-1f, 3f, QuantizedType.Int8, QuantizationScheme.Symmetric, 3f / 127, 0)]
    [InlineData(-1f, 3f, QuantizedType.UInt8, QuantizationScheme.Symmetric, 6f / 255, 128)]
    [InlineData(0f, 0f, QuantizedType.UInt8, QuantizationScheme.Affine, 1f, 0)]
    public void Activation_parameters_hold_zero_exactly(float min, float max, QuantizedType type, QuantizationScheme scheme, float scale, int zeroPoint)
    {
        var (actualScale, actualZeroPoint) = QdqEncoding.ActivationParameters(new ActivationRange(min, max), type, scheme);

        Assert.Equal(scale, actualScale, 1e-6f);
        Assert.Equal(zeroPoint, type == QuantizedType.Int8 ? actualZeroPoint.AsSpan<sbyte>()[0] : actualZeroPoint.AsSpan<byte>()[0]);
    }
}
