using OnnxFuse.Engine.Kernels.Attention;

namespace OnnxFuse.Engine.Tests.Kernels.Attention;

/// <summary>
/// The scalar definition of <see cref="ScaledDotProductAttention"/>, in double precision, read straight from the
/// layouts in <see cref="AttentionParameters"/>: per batch entry b, head h and query row i,
/// s_j = Scale·Σ_d q[d]·k_j[d] + mask[j] + bias[j] over the visible keys j (all, or 0..i for a causal row below the
/// last), p = softmax(s) with the maximum subtracted, out[d] = Σ_j p_j·v_j[d].
/// </summary>
static class AttentionReference
{
    public static float[] Compute(float[] query, float[] key, float[] value, float[] mask, float[] bias, AttentionParameters p,
        int outputLength)
    {
        var output = new float[outputLength];
        var scores = new double[p.KeyLength];
        for (var b = 0; b < p.BatchCount; b++)
        {
            for (var h = 0; h < p.HeadCount; h++)
            {
                for (var i = 0; i < p.QueryLength; i++)
                {
                    var visible = p.Causal && i < p.QueryLength - 1 ? Math.Min(i + 1, p.KeyLength) : p.KeyLength;
                    var q = p.Query.Offset + b * p.Query.BatchStride + i * p.Query.RowStride + h * p.HeadSize;
                    var max = double.NegativeInfinity;
                    for (var j = 0; j < visible; j++)
                    {
                        var k = p.Key.Offset + b * p.Key.BatchStride + j * p.Key.RowStride + h * p.HeadSize;
                        var dot = 0.0;
                        for (var d = 0; d < p.HeadSize; d++)
                            dot += (double)query[q + d] * key[k + d];
                        var score = p.Scale * dot;
                        if (mask.Length > 0)
                            score += mask[b * p.MaskBatchStride + i * p.MaskRowStride + j];
                        if (bias.Length > 0)
                            score += bias[b * p.BiasBatchStride + h * p.BiasHeadStride + i * p.KeyLength + j];
                        scores[j] = score;
                        max = Math.Max(max, score);
                    }
                    var sum = 0.0;
                    for (var j = 0; j < visible; j++)
                        sum += scores[j] = Math.Exp(scores[j] - max);
                    var o = p.Output.Offset + b * p.Output.BatchStride + i * p.Output.RowStride + h * p.ValueHeadSize;
                    for (var d = 0; d < p.ValueHeadSize; d++)
                    {
                        var mixed = 0.0;
                        for (var j = 0; j < visible; j++)
                            mixed += scores[j] / sum * value[p.Value.Offset + b * p.Value.BatchStride + j * p.Value.RowStride + h * p.ValueHeadSize + d];
                        output[o + d] = (float)mixed;
                    }
                }
            }
        }
        return output;
    }
}
