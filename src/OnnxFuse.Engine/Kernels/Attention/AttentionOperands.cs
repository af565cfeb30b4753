namespace OnnxFuse.Engine.Kernels.Attention;

/// <summary>
/// Pinned operands of one <see cref="ScaledDotProductAttention"/>
/// call, shared with the worker threads, and where each head's rows start in them. <see cref="Mask"/> and
/// <see cref="Bias"/> are null when absent. A work item is query rows [rowStart, rowStart + <see cref="RowsPerBlock"/>)
/// of one (batch, head) pair, numbered head·<see cref="BlocksPerHead"/> + block with head = b·N + h.
/// </summary>
unsafe readonly struct AttentionOperands(float* query, float* key, float* value, float* mask, float* bias, float* output,
    AttentionParameters parameters, int rowsPerBlock, int blocksPerHead)
{
    public float* Query { get; } = query;
    public float* Key { get; } = key;
    public float* Value { get; } = value;
    public float* Mask { get; } = mask;
    public float* Bias { get; } = bias;
    public float* Output { get; } = output;
    public AttentionParameters Parameters { get; } = parameters;
    public int RowsPerBlock { get; } = rowsPerBlock;
    public int BlocksPerHead { get; } = blocksPerHead;

    /// <summary>Query row <paramref name="row"/> of <paramref name="head"/> (b·N + h); rows are Query.RowStride apart.</summary>
    public float* QueryRow(int head, int row)
    {
        var p = Parameters;
        return Query + p.Query.Offset + (nint)(head / p.HeadCount) * p.Query.BatchStride + (nint)row * p.Query.RowStride
            + (nint)(head % p.HeadCount) * p.HeadSize;
    }

    /// <summary>Key row 0 of <paramref name="head"/>; rows are Key.RowStride apart.</summary>
    public float* KeyRows(int head)
    {
        var p = Parameters;
        return Key + p.Key.Offset + (nint)(head / p.HeadCount) * p.Key.BatchStride + (nint)(head % p.HeadCount) * p.HeadSize;
    }

    /// <summary>Value row 0 of <paramref name="head"/>; rows are Value.RowStride apart.</summary>
    public float* ValueRows(int head)
    {
        var p = Parameters;
        return Value + p.Value.Offset + (nint)(head / p.HeadCount) * p.Value.BatchStride + (nint)(head % p.HeadCount) * p.ValueHeadSize;
    }

    /// <summary>Output row <paramref name="row"/> of <paramref name="head"/>; rows are Output.RowStride apart.</summary>
    public float* OutputRow(int head, int row)
    {
        var p = Parameters;
        return Output + p.Output.Offset + (nint)(head / p.HeadCount) * p.Output.BatchStride + (nint)row * p.Output.RowStride
            + (nint)(head % p.HeadCount) * p.ValueHeadSize;
    }

    /// <summary>The additive mask of query row <paramref name="row"/> over its first <paramref name="length"/> keys (empty without a mask).</summary>
    public ReadOnlySpan<float> MaskRow(int head, int row, int length) =>
        Mask == null
            ? default
            : new ReadOnlySpan<float>(Mask + (nint)(head / Parameters.HeadCount) * Parameters.MaskBatchStride + (nint)row * Parameters.MaskRowStride, length);

    /// <summary>The additive bias of query row <paramref name="row"/> of <paramref name="head"/> over its first <paramref name="length"/> keys (empty without a bias).</summary>
    public ReadOnlySpan<float> BiasRow(int head, int row, int length)
    {
        if (Bias == null)
            return default;
        var p = Parameters;
        return new ReadOnlySpan<float>(Bias + (nint)(head / p.HeadCount) * p.BiasBatchStride + (nint)(head % p.HeadCount) * p.BiasHeadStride
            + (nint)row * p.KeyLength, length);
    }

    /// <summary>Keys query row <paramref name="row"/> sees: all, or 0..row for a causal row (<see cref="AttentionParameters.IsCausalRow"/>).</summary>
    public int VisibleKeys(int row) => Parameters.IsCausalRow(row) ? Math.Min(row + 1, Parameters.KeyLength) : Parameters.KeyLength;
}
