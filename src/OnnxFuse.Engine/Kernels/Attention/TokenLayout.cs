namespace OnnxFuse.Engine.Kernels.Attention;

/// <summary>
/// Where an attention operand's rows lie in its buffer: the element of batch entry b, token t, head h and
/// in-head column d is at <c>Offset + b·BatchStride + t·RowStride + h·headSize + d</c>. A plain [B, T, N·H] tensor is
/// <see cref="Contiguous"/>; Q, K and V packed side by side in one [B, T, 3·N·H] projection share one buffer and
/// differ in <see cref="Offset"/> only.
/// </summary>
public readonly record struct TokenLayout(int Offset, int RowStride, int BatchStride)
{
    /// <summary>A dense [B, <paramref name="tokenCount"/>, <paramref name="rowWidth"/>] tensor.</summary>
    public static TokenLayout Contiguous(int tokenCount, int rowWidth) => new(0, rowWidth, tokenCount * rowWidth);

    /// <summary>Elements a buffer must hold so every row of <paramref name="batchCount"/> × <paramref name="tokenCount"/> is inside it.</summary>
    internal long RequiredLength(int batchCount, int tokenCount, int rowWidth) =>
        batchCount == 0 || tokenCount == 0 || rowWidth == 0
            ? 0
            : Offset + (long)(batchCount - 1) * BatchStride + (long)(tokenCount - 1) * RowStride + rowWidth;
}
