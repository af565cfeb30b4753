using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Matching;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Inference BatchNormalization as a per-channel affine map: y = x · s + t with s = scale / √(var + ε) and
/// t = bias − mean · s. Folding passes read it from the node's constant inputs; a per-channel constant Mul
/// (t = 0) or Add (s = 1) is the same map, built directly.
/// </summary>
public sealed record BatchNormMath(float[] Scale, float[] Shift)
{
    public int ChannelCount => Scale.Length;

    /// <summary>The affine map of an inference-mode BatchNormalization with constant float32 parameters, or null.</summary>
    public static BatchNormMath? TryRead(Node batchNorm)
    {
        if (batchNorm.GetInt("training_mode", 0) != 0 || !batchNorm.OnlyFirstOutputUsed())
            return null;
        if (Constants.Floats(batchNorm.OptionalInput(1)) is not { } scale || Constants.Floats(batchNorm.OptionalInput(2)) is not { } bias
            || Constants.Floats(batchNorm.OptionalInput(3)) is not { } mean || Constants.Floats(batchNorm.OptionalInput(4)) is not { } variance)
            return null;
        var channels = scale.Length;
        if (bias.Length != channels || mean.Length != channels || variance.Length != channels)
            return null;
        var epsilon = batchNorm.GetFloat("epsilon", 1e-5f);
        var s = new float[channels];
        var t = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            // Double precision: folding must not add error beyond float32 rounding of the result.
            var factor = scale[c] / Math.Sqrt((double)variance[c] + epsilon);
            s[c] = (float)factor;
            t[c] = (float)(bias[c] - mean[c] * factor);
        }
        return new BatchNormMath(s, t);
    }

    /// <summary>W'[o, …] = W[o, …] · s[o], for a weight whose first axis is the output channel.</summary>
    public float[] ScaleOutputChannels(ReadOnlySpan<float> weight)
    {
        var result = new float[weight.Length];
        var perChannel = weight.Length / ChannelCount;
        for (var o = 0; o < ChannelCount; o++)
            for (var i = 0; i < perChannel; i++)
                result[o * perChannel + i] = weight[o * perChannel + i] * Scale[o];
        return result;
    }

    /// <summary>
    /// W'[i, j, …] = W[i, j, …] · s[g · C_out/group + j] with g = i / (C_in/group), for ConvTranspose's weight
    /// W [C_in, C_out/group, k…], whose output channel is axis 1 within each group of rows.
    /// </summary>
    public float[] ScaleTransposedOutputChannels(ReadOnlySpan<float> weight, int inputChannelCount, int groupCount)
    {
        var result = new float[weight.Length];
        var outputsPerGroup = ChannelCount / groupCount;
        var inputsPerGroup = inputChannelCount / groupCount;
        var kernelSize = weight.Length / (inputChannelCount * outputsPerGroup);
        for (var i = 0; i < inputChannelCount; i++)
            for (var j = 0; j < outputsPerGroup; j++)
            {
                var factor = Scale[(i / inputsPerGroup * outputsPerGroup) + j];
                var start = ((i * outputsPerGroup) + j) * kernelSize;
                for (var k = 0; k < kernelSize; k++)
                    result[start + k] = weight[start + k] * factor;
            }
        return result;
    }

    /// <summary>B'[k, n] = B[k, n] · s[n], for a row-major matrix B [K, N] whose columns are the output channels.</summary>
    public float[] ScaleColumns(ReadOnlySpan<float> matrix)
    {
        var result = new float[matrix.Length];
        for (var i = 0; i < matrix.Length; i++)
            result[i] = matrix[i] * Scale[i % ChannelCount];
        return result;
    }

    /// <summary>b' = b · s + t (b = 0 when the op had no bias).</summary>
    public float[] FoldBias(ReadOnlySpan<float> bias)
    {
        var result = new float[ChannelCount];
        for (var o = 0; o < ChannelCount; o++)
            result[o] = (bias.IsEmpty ? 0f : bias[o]) * Scale[o] + Shift[o];
        return result;
    }
}
