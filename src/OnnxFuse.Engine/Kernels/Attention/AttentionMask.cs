using System.Buffers;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Attention;

/// <summary>
/// ONNX Runtime's int32 mask formats for Attention's <c>mask_index</c> and MultiHeadAttention's
/// <c>key_padding_mask</c>, turned into the additive float mask <see cref="ScaledDotProductAttention"/> adds to the
/// scores (0 where a key is attended, the mask filter value where it is masked). T is the key length.
/// <list type="bullet">
/// <item>[B]: right padding, keys at or after end position mask[b] are masked;</item>
/// <item>[2·B]: as [B], and keys before start position mask[B + b] are masked too (left padding);</item>
/// <item>[B, T]: the raw key-padding mask, 1 attends and 0 masks (any value &gt; 0 attends);</item>
/// <item>[B, S, T]: a raw mask per query token;</item>
/// <item>[B, 1] or [1, 1]: one value per batch entry, the same for every key, which softmax cancels: no mask.</item>
/// </list>
/// The 4-D Megatron mask [B, 1, M, M] is not supported (ONNX Runtime's CPU kernel rejects it too).
/// </summary>
static class AttentionMask
{
    /// <summary>Where each query row's additive mask starts: b·BatchStride + i·RowStride.</summary>
    public readonly record struct Layout(int Length, int BatchStride, int RowStride)
    {
        public static Layout None => default;
    }

    /// <summary>Checks the mask's shape and returns its additive layout; <see cref="Layout.None"/> when it masks nothing.</summary>
    public static Layout Describe(ReadOnlySpan<int> dims, int batchCount, int queryLength, int keyLength, string inputName)
    {
        switch (dims.Length)
        {
            case 1 when dims[0] == batchCount || dims[0] == 2 * batchCount:
                return new Layout(batchCount * keyLength, keyLength, 0);
            case 2 when dims[0] == batchCount && dims[1] == keyLength:
                return new Layout(batchCount * keyLength, keyLength, 0);
            case 2 when (dims[0] == batchCount || dims[0] == 1) && dims[1] == 1:
                return Layout.None;
            case 3 when dims[0] == batchCount && dims[1] == queryLength && dims[2] == keyLength:
                return new Layout(batchCount * queryLength * keyLength, queryLength * keyLength, keyLength);
            case 4:
                return Throw.UnsupportedOp<Layout>($"A 4-D {inputName} {ShapeMath.Format(dims)} is not supported by the managed engine");
            default:
                return Throw.ShapeMismatch<Layout>($"{inputName} {ShapeMath.Format(dims)} fits none of [B], [2·B], [B, T], [B, S, T] "
                    + $"for B = {batchCount}, S = {queryLength}, T = {keyLength}");
        }
    }

    /// <summary>
    /// The additive mask of an optional int32 mask input (<paramref name="inputName"/> of <paramref name="opName"/>) for the
    /// batch, query and key lengths of <paramref name="p"/>, in an array rented from the shared pool (the caller returns
    /// it), and <paramref name="p"/> with the mask's strides. No input, or one that masks nothing: a null array and
    /// <paramref name="p"/> unchanged.
    /// </summary>
    public static (float[]? Rented, int Length, AttentionParameters Parameters) RentAdditive(RuntimeTensor? mask, AttentionParameters p,
        float filterValue, string opName, string inputName)
    {
        if (mask is null)
            return (null, 0, p);
        if (mask.ElementType != ElementType.Int32)
            Throw.ShapeMismatch($"{opName} {inputName} must be int32, got {mask.ElementType.DisplayName()}");
        var layout = Describe(mask.Dims, p.BatchCount, p.QueryLength, p.KeyLength, inputName);
        if (layout.Length == 0)
            return (null, 0, p);
        var rented = ArrayPool<float>.Shared.Rent(layout.Length);
        WriteAdditive(mask.Read<int>(), mask.Dims, p.BatchCount, p.KeyLength, filterValue, rented.AsSpan(0, layout.Length));
        return (rented, layout.Length, p with { MaskBatchStride = layout.BatchStride, MaskRowStride = layout.RowStride });
    }

    /// <summary>Writes the additive mask of <paramref name="mask"/> (shape <paramref name="dims"/>, see <see cref="Describe"/>).</summary>
    public static void WriteAdditive(ReadOnlySpan<int> mask, ReadOnlySpan<int> dims, int batchCount, int keyLength, float filterValue,
        Span<float> destination)
    {
        if (dims.Length >= 2)
        {
            // Raw masks, [B, T] or [B, S, T]: element by element.
            for (var i = 0; i < destination.Length; i++)
                destination[i] = mask[i] > 0 ? 0f : filterValue;
            return;
        }
        var hasStart = dims[0] == 2 * batchCount;
        for (var b = 0; b < batchCount; b++)
        {
            var row = destination.Slice(b * keyLength, keyLength);
            var end = Math.Clamp(mask[b], 0, keyLength);
            var start = hasStart ? Math.Clamp(mask[batchCount + b], 0, keyLength) : 0;
            row.Clear();
            row[end..].Fill(filterValue);
            row[..start].Fill(filterValue);
        }
    }
}
