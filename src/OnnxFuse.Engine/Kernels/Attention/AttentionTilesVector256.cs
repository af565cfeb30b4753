using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OnnxFuse.Engine.Kernels.Gemm;

namespace OnnxFuse.Engine.Kernels.Attention;

/// <summary>
/// The attention core on the Vector256 GEMM micro-kernel (<see cref="GemmMicroKernelVector256.Run"/>, A read in place) with
/// nothing packed per product. A thread packs its head's Kᵀ [H × L] and V [L × H_v] once, in the micro-kernel's
/// 16-column strips, and reuses them for all of that head's query rows in its work items; then per tile of six rows:
/// <code>
/// s[6 × L]     = Scale · Q_rows · Kᵀ       Q read where it lies (the kernel broadcasts A, so A needs no packing)
/// e[6 × L], Σ  = exp(s + mask + bias − max), row sums   while the tile is in L1 (AttentionSoftmax.Exponentiate)
/// O_rows       = (e · V) / Σ               e read in place; dividing H_v outputs per row, not L probabilities
/// </code>
/// A causal tile stops at the last key its last row sees. Packing per head instead of per product, and no packing of
/// the left operands, is what the general path (<see cref="AttentionBlockGemm"/>) lacks at head sizes of 64.
/// </summary>
static class AttentionTilesVector256
{
    const int RowTile = 6;
    const int Strip = 16;

    /// <summary>Most floats a thread keeps for the packed Kᵀ and V and a score tile (8 MiB); longer keys take <see cref="AttentionBlockGemm"/>.</summary>
    const long PanelBudget = 1 << 21;

    [ThreadStatic]
    static float[]? s_panels;

    /// <summary>True when the packed panels of one head fit <see cref="PanelBudget"/> (and there are keys to attend to).</summary>
    public static bool Applies(in AttentionParameters p) => p.KeyLength > 0 && PanelFloats(p) <= PanelBudget;

    static long PanelFloats(in AttentionParameters p) =>
        (long)Pad(p.KeyLength) * (p.HeadSize + RowTile) + (long)p.KeyLength * Pad(p.ValueHeadSize);

    static int Pad(int count) => (count + Strip - 1) / Strip * Strip;

    public static unsafe void RunItems(in AttentionOperands o, int first, int last)
    {
        var p = o.Parameters;
        var paddedKeys = Pad(p.KeyLength);
        var keyPanel = Scratch((int)PanelFloats(p));
        var valuePanel = keyPanel + (nint)paddedKeys * p.HeadSize;
        var scores = valuePanel + (nint)p.KeyLength * Pad(p.ValueHeadSize);
        var packedHead = -1;
        for (var item = first; item < last; item++)
        {
            var head = item / o.BlocksPerHead;
            // Items run in order, so one thread's blocks of the same head follow each other and share the panels.
            if (head != packedHead)
            {
                GemmPacking.PackB(o.KeyRows(head), p.Key.RowStride, transposeB: true, 0, p.HeadSize, 0, p.KeyLength, Strip, keyPanel);
                GemmPacking.PackB(o.ValueRows(head), p.Value.RowStride, transposeB: false, 0, p.KeyLength, 0, p.ValueHeadSize, Strip, valuePanel);
                packedHead = head;
            }
            var rowStart = item % o.BlocksPerHead * o.RowsPerBlock;
            var rowEnd = Math.Min(rowStart + o.RowsPerBlock, p.QueryLength);
            for (var row = rowStart; row < rowEnd; row += RowTile)
                RunTile(o, head, row, Math.Min(RowTile, rowEnd - row), keyPanel, valuePanel, scores, paddedKeys);
        }
    }

    /// <summary>Query rows [row, row + rowCount) of <paramref name="head"/>, rowCount ≤ 6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void RunTile(in AttentionOperands o, int head, int row, int rowCount, float* keyPanel, float* valuePanel, float* scores,
        int scoreStride)
    {
        var p = o.Parameters;
        // Visible keys grow with the row, so the tile's last row sees the most; past them every row weighs 0.
        var keys = o.VisibleKeys(row + rowCount - 1);
        var query = o.QueryRow(head, row);
        for (var key = 0; key < keys; key += Strip)
        {
            GemmMicroKernelVector256.Run(query, p.Query.RowStride, 1, keyPanel + (nint)key * p.HeadSize, null, p.HeadSize, p.Scale, 0f,
                rowCount, Strip, scores + key, scoreStride);
        }

        var inverseSums = stackalloc float[RowTile];
        for (var r = 0; r < rowCount; r++)
        {
            var i = row + r;
            var line = new Span<float>(scores + (nint)r * scoreStride, keys);
            var visible = o.VisibleKeys(i);
            inverseSums[r] = 1f / AttentionSoftmax.Exponentiate(line[..visible], o.MaskRow(head, i, visible), o.BiasRow(head, i, visible));
            line[visible..].Clear();
        }

        var output = o.OutputRow(head, row);
        for (var column = 0; column < p.ValueHeadSize; column += Strip)
        {
            GemmMicroKernelVector256.Run(scores, scoreStride, 1, valuePanel + (nint)column * p.KeyLength, null, keys, 1f, 0f,
                rowCount, Math.Min(Strip, p.ValueHeadSize - column), output + column, p.Output.RowStride);
        }
        for (var r = 0; r < rowCount; r++)
        {
            var mixed = new Span<float>(output + (nint)r * p.Output.RowStride, p.ValueHeadSize);
            TensorPrimitives.Multiply(mixed, inverseSums[r], mixed);
        }
    }

    static unsafe float* Scratch(int length)
    {
        if (s_panels is null || s_panels.Length < length + Strip)
            s_panels = GC.AllocateUninitializedArray<float>(Math.Max(length + Strip, 4096), pinned: true);
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(s_panels));
        return (float*)((address + 63) & ~(nint)63);
    }
}
