using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Attention;

/// <summary>
/// Arguments of <see cref="ScaledDotProductAttention"/>. Q and K have <see cref="HeadSize"/> columns per head, V
/// and the output <see cref="ValueHeadSize"/>; Q and the output have <see cref="QueryLength"/> (S) tokens, K and V
/// <see cref="KeyLength"/> (L). The additive mask's row for (b, query token i) starts at
/// <c>b·MaskBatchStride + i·MaskRowStride</c> (row stride 0: one key-padding row per batch entry); the additive bias
/// is [B or 1, N or 1, S, L], broadcast through a zero <see cref="BiasBatchStride"/> or <see cref="BiasHeadStride"/>.
/// </summary>
public readonly record struct AttentionParameters(int BatchCount, int HeadCount, int QueryLength, int KeyLength, int HeadSize, int ValueHeadSize)
{
    /// <summary>Multiplies Q·Kᵀ (before the mask and bias are added); ONNX Runtime's default is 1/√HeadSize.</summary>
    public float Scale { get; init; } = 1f;

    /// <summary>
    /// ONNX Runtime's <c>unidirectional</c>: query row i &lt; S − 1 sees keys 0..i only, the others weighing exactly 0
    /// (ORT fills them with the lowest float, not the mask filter value). As in ONNX Runtime 1.30's CPU kernels the
    /// last query row sees every key, which differs from a plain causal mask only when L &gt; S.
    /// </summary>
    public bool Causal { get; init; }


    public TokenLayout Query { get; init; }
    public TokenLayout Key { get; init; }
    public TokenLayout Value { get; init; }
    public TokenLayout Output { get; init; }

    public int MaskBatchStride { get; init; }
    public int MaskRowStride { get; init; }
    public int BiasBatchStride { get; init; }
    public int BiasHeadStride { get; init; }

    /// <summary>Most threads to use (the caller included); small problems run on one regardless.</summary>
    public int ThreadCount { get; init; } = 1;

    /// <summary>True when <see cref="Causal"/> hides keys after <paramref name="queryRow"/>.</summary>
    internal bool IsCausalRow(int queryRow) => Causal && queryRow < QueryLength - 1;

    /// <summary>Scores the attention computes: B·N·S·L.</summary>
    internal long ScoreCount => (long)BatchCount * HeadCount * QueryLength * KeyLength;

    internal void Validate(int queryLength, int keyLength, int valueLength, int maskLength, int biasLength, int outputLength)
    {
        if (BatchCount < 0 || HeadCount < 0 || QueryLength < 0 || KeyLength < 0 || HeadSize < 0 || ValueHeadSize < 0)
            Throw.ShapeMismatch($"Attention dimensions must be non-negative, got {this}.");
        Check("query", Query, QueryLength, HeadCount * HeadSize, queryLength);
        Check("key", Key, KeyLength, HeadCount * HeadSize, keyLength);
        Check("value", Value, KeyLength, HeadCount * ValueHeadSize, valueLength);
        Check("output", Output, QueryLength, HeadCount * ValueHeadSize, outputLength);
        if (maskLength > 0 && ScoreCount > 0)
        {
            var needed = (long)(BatchCount - 1) * MaskBatchStride + (long)(QueryLength - 1) * MaskRowStride + KeyLength;
            if (maskLength < needed)
                Throw.ShapeMismatch($"Attention mask holds {maskLength} values; strides {MaskBatchStride}/{MaskRowStride} need {needed}.");
        }
        if (biasLength > 0 && ScoreCount > 0)
        {
            var needed = (long)(BatchCount - 1) * BiasBatchStride + (long)(HeadCount - 1) * BiasHeadStride + (long)QueryLength * KeyLength;
            if (biasLength < needed)
                Throw.ShapeMismatch($"Attention bias holds {biasLength} values; strides {BiasBatchStride}/{BiasHeadStride} need {needed}.");
        }
    }

    void Check(string name, TokenLayout layout, int tokenCount, int rowWidth, int length)
    {
        if (layout.RowStride < rowWidth && tokenCount > 1 || layout.Offset < 0)
            Throw.ShapeMismatch($"Attention {name} rows of {rowWidth} values overlap: {layout}.");
        var needed = layout.RequiredLength(BatchCount, tokenCount, rowWidth);
        if (length < needed)
            Throw.ShapeMismatch($"Attention {name} holds {length} values; {BatchCount}×{tokenCount} rows of {rowWidth} in {layout} need {needed}.");
    }
}
