using System.Buffers;
using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Attention;

/// <summary>
/// com.microsoft MultiHeadAttention (float32), the unpacked 3-D form: query [B, S, D], key [B, L, D] and value
/// [B, L, D_v], with an optional bias [D + D + D_v] added to Q, K and V first; output [B, S, D_v] =
/// attention(Q, K, V) per head (<see cref="ScaledDotProductAttention"/>). <c>key_padding_mask</c> takes the int32
/// formats of <see cref="AttentionMask"/>; <c>attention_bias</c> is [B or 1, N or 1, S, L]. Packed QKV or KV, the
/// 4-D BNSH key/value, past state and the present/QK outputs are rejected.
/// </summary>
sealed class MultiHeadAttentionKernel(int headCount, float scale, bool unidirectional, float maskFilterValue) : Kernel
{
    public override void Run(KernelContext context)
    {
        var query = context.Input(0);
        var key = context.OptionalInput(1);
        var value = context.OptionalInput(2);
        if (query.Rank != 3 || key is not { Rank: 3 } || value is not { Rank: 3 })
        {
            Throw.UnsupportedOp($"MultiHeadAttention with query {ShapeMath.Format(query.Dims)}, key {Describe(key)} and value {Describe(value)} "
                + "is not supported by the managed engine: it needs 3-D query [B, S, D], key [B, L, D] and value [B, L, D_v]");
        }
        if (query.ElementType != ElementType.Float || key.ElementType != ElementType.Float || value.ElementType != ElementType.Float)
            Throw.ShapeMismatch("MultiHeadAttention supports float32 query, key and value only");
        var (batchCount, queryLength, hidden) = (query.Dim(0), query.Dim(1), query.Dim(2));
        var (keyLength, valueHidden) = (key.Dim(1), value.Dim(2));
        if (key.Dim(0) != batchCount || value.Dim(0) != batchCount || key.Dim(2) != hidden || value.Dim(1) != keyLength
            || hidden % headCount != 0 || valueHidden % headCount != 0)
        {
            Throw.ShapeMismatch($"MultiHeadAttention query {ShapeMath.Format(query.Dims)}, key {ShapeMath.Format(key.Dims)} and value "
                + $"{ShapeMath.Format(value.Dims)} disagree or do not split into {headCount} heads");
        }
        var bias = context.OptionalInput(3);
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != 2 * hidden + valueHidden))
            Throw.ShapeMismatch($"MultiHeadAttention bias must be [{2 * hidden + valueHidden}], got {ShapeMath.Format(bias.Dims)}");

        Span<int> outputDims = [batchCount, queryLength, valueHidden];
        var output = context.Output(0, ElementType.Float, outputDims).Write<float>();
        var headSize = hidden / headCount;
        var p = new AttentionParameters(batchCount, headCount, queryLength, keyLength, headSize, valueHidden / headCount)
        {
            Scale = scale == 0f ? 1f / MathF.Sqrt(headSize) : scale,
            Causal = unidirectional,
            Query = TokenLayout.Contiguous(queryLength, hidden),
            Key = TokenLayout.Contiguous(keyLength, hidden),
            Value = TokenLayout.Contiguous(keyLength, valueHidden),
            Output = TokenLayout.Contiguous(queryLength, valueHidden),
            ThreadCount = context.ThreadCount,
        };
        float[]? biased = null;
        float[]? additiveMask = null;
        try
        {
            ReadOnlySpan<float> q = query.Read<float>(), k = key.Read<float>(), v = value.Read<float>();
            if (bias is not null)
            {
                biased = ArrayPool<float>.Shared.Rent(Math.Max(1, q.Length + k.Length + v.Length));
                var b = bias.Read<float>();
                q = AddPerRow(q, b[..hidden], biased.AsSpan(0, q.Length));
                k = AddPerRow(k, b.Slice(hidden, hidden), biased.AsSpan(q.Length, k.Length));
                v = AddPerRow(v, b[(2 * hidden)..], biased.AsSpan(q.Length + k.Length, v.Length));
            }
            (additiveMask, var maskLength, p) = AttentionMask.RentAdditive(context.OptionalInput(4), p, maskFilterValue, "MultiHeadAttention", "key_padding_mask");
            ReadOnlySpan<float> mask = additiveMask.AsSpan(0, maskLength);
            var biasTensor = context.OptionalInput(5);
            p = AttentionBias.WithStrides(biasTensor, p);
            ReadOnlySpan<float> attentionBias = biasTensor is null ? [] : biasTensor.Read<float>();
            ScaledDotProductAttention.Run(q, k, v, mask, attentionBias, p, output);
        }
        finally
        {
            if (biased is not null)
                ArrayPool<float>.Shared.Return(biased);
            if (additiveMask is not null)
                ArrayPool<float>.Shared.Return(additiveMask);
        }
    }

    /// <summary>destination = rows + bias (bias repeated on every row); returns destination.</summary>
    static ReadOnlySpan<float> AddPerRow(ReadOnlySpan<float> rows, ReadOnlySpan<float> bias, Span<float> destination)
    {
        for (var offset = 0; offset < rows.Length; offset += bias.Length)
            ArithmeticKernel.Add(rows.Slice(offset, bias.Length), bias, destination.Slice(offset, bias.Length));
        return destination;
    }

    static string Describe(RuntimeTensor? tensor) => tensor is null ? "(none)" : ShapeMath.Format(tensor.Dims);
}
