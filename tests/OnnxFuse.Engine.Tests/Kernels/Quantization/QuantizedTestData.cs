using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

/// <summary>Seeded uint8/int8 tensors, zero points and scales for the quantized-operator tests.</summary>
static class QuantizedTestData
{
    /// <summary>
    /// Seeded uint8/int8 values; <paramref name="sevenBit"/> keeps int8 values in [−64, 63]. ONNX Runtime's u8×s8 kernels
    /// use vpmaddubsw on AVX2 CPUs without VNNI, whose int16 pair sums saturate for full-range weights, so comparisons
    /// against it with uint8 activations and int8 weights use 7-bit weights (exact there); the full range is checked
    /// against the exact reference in <see cref="Int8GemmTests"/>.
    /// </summary>
    public static TensorData Bytes(int seed, long[] dims, bool signed, bool sevenBit = false)
    {
        var count = (int)dims.Aggregate(1L, (a, b) => a * b);
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        if (sevenBit)
        {
            for (var i = 0; i < bytes.Length; i++)
                bytes[i] = (byte)((sbyte)bytes[i] >> 1);
        }
        return signed ? TensorData.Create<sbyte>(dims, [.. bytes.Select(b => unchecked((sbyte)b))]) : TensorData.Create<byte>(dims, bytes);
    }

    public static TensorData ZeroPoints(bool signed, params int[] values) => values.Length == 1
        ? signed ? TensorData.Scalar((sbyte)values[0]) : TensorData.Scalar((byte)values[0])
        : signed ? TensorData.Create<sbyte>([values.Length], [.. values.Select(v => (sbyte)v)])
        : TensorData.Create<byte>([values.Length], [.. values.Select(v => (byte)v)]);

    public static TensorData Scales(params float[] values) => values.Length == 1
        ? TensorData.Scalar(values[0])
        : TensorData.Create<float>([values.Length], values);

    /// <summary>Per-channel scales in [0.001, 0.01).</summary>
    public static TensorData ChannelScales(int seed, int count)
    {
        var random = new Random(seed);
        return Scales([.. Enumerable.Range(0, count).Select(_ => 0.001f + 0.009f * random.NextSingle())]);
    }
}
