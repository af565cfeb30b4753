using System.Buffers;
using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Engine.Kernels.LinearAlgebra;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Attention;

/// <summary>
/// com.microsoft Attention (float32), ONNX Runtime's self-attention with a packed projection:
/// <code>
/// QKV[B·S, D + D + D_v] = input[B·S, D_in] · weights[D_in, D + D + D_v] + bias
/// output[B, S, D_v]     = attention(Q, K, V) per head (<see cref="ScaledDotProductAttention"/>), N = num_heads
/// </code>
/// Q, K and V are column ranges of the one projection (sizes from <c>qkv_hidden_sizes</c>, else three equal parts;
/// Q and K must match). A constant weight matrix is packed once at plan time. <c>mask_index</c> takes the int32
/// formats of <see cref="AttentionMask"/>; <c>attention_bias</c> is [B or 1, N or 1, S, S]. Past state, rotary
/// embedding and the <c>present</c> output are rejected by the factory.
/// </summary>
sealed class AttentionKernel : Kernel
{
    readonly int _headCount;
    readonly float _scale;
    readonly bool _unidirectional;
    readonly float _maskFilterValue;
    readonly (int Query, int Key, int Value)? _hiddenSizes;
    readonly PackedMatrix? _packedWeights;

    /// <summary>A <paramref name="scale"/> of 0 is ONNX Runtime's default, 1/√head_size; null <paramref name="hiddenSizes"/> are three equal parts.</summary>
    public AttentionKernel(int headCount, float scale, bool unidirectional, float maskFilterValue, (int Query, int Key, int Value)? hiddenSizes,
        TensorData? constantWeights)
    {
        _headCount = headCount;
        _scale = scale;
        _unidirectional = unidirectional;
        _maskFilterValue = maskFilterValue;
        _hiddenSizes = hiddenSizes;
        _packedWeights = ConstantMatrix.PackB(constantWeights, transB: false);
    }

    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        if (input.ElementType != ElementType.Float || input.Rank != 3)
            Throw.ShapeMismatch($"Attention expects a float32 input [B, S, hidden], got {input}");
        var (batchCount, tokenCount, inputHidden) = (input.Dim(0), input.Dim(1), input.Dim(2));
        var weights = _packedWeights is null ? context.Input(1) : null;
        var weightRows = weights is null ? _packedWeights!.Depth : weights.Rank == 2 ? weights.Dim(0) : -1;
        var projectionWidth = weights is null ? _packedWeights!.OuterCount : weights.Rank == 2 ? weights.Dim(1) : -1;
        if (weightRows != inputHidden)
            Throw.ShapeMismatch($"Attention weights must be [{inputHidden}, 3·hidden], got {(weights is null ? "a packed" : ShapeMath.Format(weights.Dims))} matrix");
        var (queryHidden, keyHidden, valueHidden) = _hiddenSizes ?? (projectionWidth / 3, projectionWidth / 3, projectionWidth / 3);
        if (queryHidden + keyHidden + valueHidden != projectionWidth || queryHidden != keyHidden
            || queryHidden % _headCount != 0 || valueHidden % _headCount != 0)
        {
            Throw.ShapeMismatch($"Attention weights with {projectionWidth} columns do not split into Q, K, V of {queryHidden}, {keyHidden}, "
                + $"{valueHidden} divisible by {_headCount} heads");
        }
        var bias = context.OptionalInput(2);
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != projectionWidth))
            Throw.ShapeMismatch($"Attention bias must be [{projectionWidth}], got {ShapeMath.Format(bias.Dims)}");

        Span<int> outputDims = [batchCount, tokenCount, valueHidden];
        var output = context.Output(0, ElementType.Float, outputDims).Write<float>();
        var rowCount = batchCount * tokenCount;
        var projection = ArrayPool<float>.Shared.Rent(Math.Max(1, rowCount * projectionWidth));
        float[]? additiveMask = null;
        try
        {
            var qkv = projection.AsSpan(0, rowCount * projectionWidth);
            var gemm = new GemmParameters(rowCount, projectionWidth, inputHidden)
            {
                BiasKind = bias is null ? BiasKind.None : BiasKind.PerColumn,
                ThreadCount = context.ThreadCount,
            };
            var biasValues = bias is null ? [] : bias.Read<float>();
            if (weights is null)
                GemmKernel.Run(input.Read<float>(), _packedWeights!, biasValues, gemm, qkv);
            else
                GemmKernel.Run(input.Read<float>(), weights.Read<float>(), biasValues, gemm, qkv);

            var headSize = queryHidden / _headCount;
            var p = new AttentionParameters(batchCount, _headCount, tokenCount, tokenCount, headSize, valueHidden / _headCount)
            {
                Scale = _scale == 0f ? 1f / MathF.Sqrt(headSize) : _scale,
                Causal = _unidirectional,
                Query = new TokenLayout(0, projectionWidth, tokenCount * projectionWidth),
                Key = new TokenLayout(queryHidden, projectionWidth, tokenCount * projectionWidth),
                Value = new TokenLayout(queryHidden + keyHidden, projectionWidth, tokenCount * projectionWidth),
                Output = TokenLayout.Contiguous(tokenCount, valueHidden),
                ThreadCount = context.ThreadCount,
            };
            (additiveMask, var maskLength, p) = AttentionMask.RentAdditive(context.OptionalInput(3), p, _maskFilterValue, "Attention", "mask_index");
            ReadOnlySpan<float> mask = additiveMask.AsSpan(0, maskLength);
            var biasTensor = context.OptionalInput(5);
            p = AttentionBias.WithStrides(biasTensor, p);
            ReadOnlySpan<float> attentionBias = biasTensor is null ? [] : biasTensor.Read<float>();
            ScaledDotProductAttention.Run(qkv, qkv, qkv, mask, attentionBias, p, output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(projection);
            if (additiveMask is not null)
                ArrayPool<float>.Shared.Return(additiveMask);
        }
    }
}
