using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Attention;

/// <summary>
/// The float <c>attention_bias</c> input of Attention and MultiHeadAttention: [B or 1, N or 1, S, T], added to the
/// scaled scores. A dimension of 1 broadcasts through a zero stride.
/// </summary>
static class AttentionBias
{
    /// <summary>Checks the shape and returns the (batch, head) strides for <see cref="AttentionParameters"/>.</summary>
    public static (int BatchStride, int HeadStride) Strides(ReadOnlySpan<int> dims, int batchCount, int headCount, int queryLength, int keyLength)
    {
        if (dims.Length != 4 || dims[0] != batchCount && dims[0] != 1 || dims[1] != headCount && dims[1] != 1
            || dims[2] != queryLength || dims[3] != keyLength)
        {
            Throw.ShapeMismatch($"attention_bias {ShapeMath.Format(dims)} is not [{batchCount} or 1, {headCount} or 1, {queryLength}, {keyLength}]");
        }
        var headStride = dims[1] == 1 ? 0 : queryLength * keyLength;
        var batchStride = dims[0] == 1 ? 0 : dims[1] * queryLength * keyLength;
        return (batchStride, headStride);
    }

    /// <summary><paramref name="p"/> with the strides of the optional attention_bias input (unchanged without one).</summary>
    public static AttentionParameters WithStrides(RuntimeTensor? bias, AttentionParameters p)
    {
        if (bias is null)
            return p;
        var (batchStride, headStride) = Strides(bias.Dims, p.BatchCount, p.HeadCount, p.QueryLength, p.KeyLength);
        return p with { BiasBatchStride = batchStride, BiasHeadStride = headStride };
    }
}
