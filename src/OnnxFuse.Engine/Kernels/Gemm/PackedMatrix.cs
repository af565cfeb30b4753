using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>Which GEMM operand a <see cref="PackedMatrix"/> was packed as.</summary>
public enum PackedOperand
{
    A,
    B,
}

/// <summary>
/// A constant GEMM operand packed once (at plan time) for one <see cref="GemmVariant"/> and reused on every run:
/// the engine prepacks weights so runs skip B packing (or A packing for Conv, whose weights are the left operand).
/// The layout is [depth block][strip][k][panel width], zero-padded. Immutable and thread-safe; the memory is a
/// pinned managed array, so there is nothing to dispose.
/// </summary>
public sealed class PackedMatrix
{
    readonly float[] _buffer;
    readonly int _offset;

    PackedMatrix(PackedOperand operand, GemmVariant variant, int outerCount, int depth, int panelWidth, int depthBlock)
    {
        Operand = operand;
        Variant = variant;
        OuterCount = outerCount;
        Depth = depth;
        PanelWidth = panelWidth;
        DepthBlock = depthBlock;
        PaddedOuterCount = (outerCount + panelWidth - 1) / panelWidth * panelWidth;
        var length = (long)PaddedOuterCount * depth;
        if (length > Array.MaxLength - 16)
            Throw.ShapeMismatch($"Packed GEMM operand of {outerCount}×{depth} is too large.");
        _buffer = GC.AllocateUninitializedArray<float>((int)length + 16, pinned: true);
        _offset = AlignmentOffset(_buffer);
    }

    public PackedOperand Operand { get; }
    public GemmVariant Variant { get; }

    /// <summary>Rows of op(A) for an A operand, columns of op(B) for a B operand.</summary>
    public int OuterCount { get; }

    public int Depth { get; }
    internal int PanelWidth { get; }
    internal int DepthBlock { get; }
    internal int PaddedOuterCount { get; }

    internal unsafe float* Data => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer)) + _offset;

    /// <summary>Packs op(B) [depth × columnCount] (B stored [columnCount × depth] when transposed) for <paramref name="variant"/>.</summary>
    public static PackedMatrix PackB(ReadOnlySpan<float> b, int depth, int columnCount, bool transposeB, int leadingB, GemmVariant variant)
    {
        var p = new GemmParameters(1, columnCount, depth) { TransposeB = transposeB, LeadingB = leadingB };
        GemmChecks.Dimensions(p);
        GemmChecks.B(p, b.Length);
        var (panel, block) = Blocking(variant, PackedOperand.B);
        var packed = new PackedMatrix(PackedOperand.B, variant, columnCount, depth, panel, block);
        packed.Fill(b, p.StrideB, transposeB);
        return packed;
    }

    /// <summary>Packs op(A) [rowCount × depth] (A stored [depth × rowCount] when transposed) for <paramref name="variant"/>.</summary>
    public static PackedMatrix PackA(ReadOnlySpan<float> a, int rowCount, int depth, bool transposeA, int leadingA, GemmVariant variant)
    {
        var p = new GemmParameters(rowCount, 1, depth) { TransposeA = transposeA, LeadingA = leadingA };
        GemmChecks.Dimensions(p);
        GemmChecks.A(p, a.Length);
        var (panel, block) = Blocking(variant, PackedOperand.A);
        var packed = new PackedMatrix(PackedOperand.A, variant, rowCount, depth, panel, block);
        packed.Fill(a, p.StrideA, transposeA);
        return packed;
    }

    /// <summary>Pointer to the packed block for depth offset <paramref name="depthStart"/> and strip containing <paramref name="outerStart"/> (a multiple of the panel width).</summary>
    internal unsafe float* Block(int depthStart, int depthCount, int outerStart) =>
        Data + (nint)depthStart * PaddedOuterCount + (nint)outerStart * depthCount;

    unsafe void Fill(ReadOnlySpan<float> source, int stride, bool transposed)
    {
        fixed (float* s = source)
        {
            for (var depthStart = 0; depthStart < Depth; depthStart += DepthBlock)
            {
                var depthCount = Math.Min(DepthBlock, Depth - depthStart);
                var target = Block(depthStart, depthCount, 0);
                if (Operand == PackedOperand.B)
                    GemmPacking.PackB(s, stride, transposed, depthStart, depthCount, 0, OuterCount, PanelWidth, target);
                else
                    GemmPacking.PackA(s, stride, transposed, 0, OuterCount, depthStart, depthCount, PanelWidth, target);
            }
        }
    }

    /// <summary>
    /// Scalar packs use panel width 1 and one depth block: op(A) row-major for A, and op(B)ᵀ row-major
    /// (B as if transposed, stride = depth) for B, which the scalar kernel reads directly.
    /// </summary>
    static (int Panel, int Block) Blocking(GemmVariant variant, PackedOperand operand) => variant switch
    {
        GemmVariant.Vector512 => (operand == PackedOperand.A ? GemmMicroKernelVector512.RowTile : GemmMicroKernelVector512.ColumnTile, GemmMicroKernelVector512.DepthBlock),
        GemmVariant.Vector256 => (operand == PackedOperand.A ? GemmMicroKernelVector256.RowTile : GemmMicroKernelVector256.ColumnTile, GemmMicroKernelVector256.DepthBlock),
        _ => (1, int.MaxValue),
    };

    static unsafe int AlignmentOffset(float[] buffer)
    {
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (int)((64 - (address & 63)) & 63) / sizeof(float);
    }
}
