namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// The signed operand of <see cref="Int8GemmQuads"/>: A′ = A − za as s8, in panels of 6 rows with k in quads:
/// Data[(panel · QuadCount + quad) · 6 + r] holds A′[6·panel + r, 4·quad + i] in byte i (little-endian). Rows past RowCount and
/// k past Depth are zeros. RowSums[r] = Σₖ A′[r, k] (zeros past RowCount, whole panels long) is what the unsigned operand's
/// zero point is multiplied by in the correction.
/// </summary>
sealed class Int8QuadRows(int[] data, int[] rowSums, int rowCount, int depth)
{
    public int[] Data { get; } = data;
    public int[] RowSums { get; } = rowSums;
    public int RowCount { get; } = rowCount;
    public int Depth { get; } = depth;
    public int QuadCount => (Depth + 3) / 4;

    static int PaddedRows(int rowCount) => (rowCount + Int8Gemm.PanelRows - 1) / Int8Gemm.PanelRows * Int8Gemm.PanelRows;

    /// <summary>
    /// Packs A′[r, k] = source[r · rowStride + k · depthStride] − zeroPoints[r or 0] (T is byte or sbyte), or returns null when
    /// some A′ is outside [−128, 127] (uint8 weights with a zero point far from 128): the int16 pairs of <see cref="Int8Gemm"/>
    /// take those.
    /// </summary>
    public static Int8QuadRows? TryPack<T>(ReadOnlySpan<T> source, int rowCount, int depth, int rowStride, int depthStride,
        ReadOnlySpan<int> zeroPoints) where T : unmanaged
    {
        var quadCount = (depth + 3) / 4;
        var data = new int[PaddedRows(rowCount) * quadCount];
        var sums = new int[PaddedRows(rowCount)];
        for (var row = 0; row < rowCount; row++)
        {
            var zero = zeroPoints.IsEmpty ? 0 : zeroPoints[zeroPoints.Length == 1 ? 0 : row];
            var panel = row / Int8Gemm.PanelRows;
            var r = row % Int8Gemm.PanelRows;
            var sum = 0;
            for (var k = 0; k < depth; k++)
            {
                var value = Int8Values.Read(source, row * rowStride + k * depthStride) - zero;
                if (value is < sbyte.MinValue or > sbyte.MaxValue)
                    return null;
                sum += value;
                data[(panel * quadCount + k / 4) * Int8Gemm.PanelRows + r] |= (byte)value << (8 * (k % 4));
            }
            sums[row] = sum;
        }
        return new Int8QuadRows(data, sums, rowCount, depth);
    }
}
