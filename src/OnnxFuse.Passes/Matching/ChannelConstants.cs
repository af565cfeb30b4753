using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Passes.Matching;

/// <summary>Constant operands that vary along the channel axis (1) of an [N, C, spatial…] tensor and nowhere else.</summary>
public static class ChannelConstants
{
    /// <summary>
    /// One float32 value per channel when <paramref name="value"/> is a constant that, broadcast against a tensor of
    /// rank <paramref name="rank"/> with <paramref name="channelCount"/> channels on axis 1, neither varies along
    /// another axis nor changes the tensor's shape: a scalar or all-ones shape, [C, 1, …] (rank − 1 dims),
    /// [1, C, 1, …] (rank dims). A scalar is repeated for every channel. Null otherwise ([C] alone aligns with the
    /// last spatial axis, so it is refused unless C = 1).
    /// </summary>
    public static float[]? PerChannel(Value? value, long channelCount, int rank)
    {
        if (Constants.Floats(value) is not { } values || value!.ConstantData!.Rank > rank)
            return null;
        var dims = value.ConstantData.Dims;
        var channelPosition = 1 - (rank - dims.Count);
        for (var i = 0; i < dims.Count; i++)
            if (dims[i] != 1 && (i != channelPosition || dims[i] != channelCount))
                return null;
        return values.Length == channelCount ? values : [.. Enumerable.Repeat(values[0], (int)channelCount)];
    }
}
