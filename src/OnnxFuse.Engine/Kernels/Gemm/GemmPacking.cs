namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// Goto/BLIS packing. A block of op(A) becomes strips of <c>panelWidth</c> rows stored [strip][k][row];
/// a block of op(B) becomes strips of <c>panelWidth</c> columns stored [strip][k][column]. Strips are
/// zero-padded so the microkernel always runs full tiles.
/// </summary>
static class GemmPacking
{
    /// <summary>Packs op(A)[rowStart.., depthStart..] of size rowCount × depth into <paramref name="destination"/>.</summary>
    public static unsafe void PackA(float* a, int strideA, bool transposeA, int rowStart, int rowCount, int depthStart, int depth, int panelWidth, float* destination)
    {
        for (var strip = 0; strip < rowCount; strip += panelWidth)
        {
            var rows = Math.Min(panelWidth, rowCount - strip);
            var panel = destination + (nint)strip * depth;
            if (transposeA)
            {
                // op(A)[i, k] = a[k, i]: each k contributes `rows` contiguous values.
                for (var k = 0; k < depth; k++)
                {
                    var source = a + (nint)(depthStart + k) * strideA + rowStart + strip;
                    var target = panel + (nint)k * panelWidth;
                    for (var r = 0; r < rows; r++)
                        target[r] = source[r];
                    for (var r = rows; r < panelWidth; r++)
                        target[r] = 0f;
                }
            }
            else
            {
                for (var r = 0; r < rows; r++)
                {
                    var source = a + (nint)(rowStart + strip + r) * strideA + depthStart;
                    var target = panel + r;
                    for (var k = 0; k < depth; k++)
                        target[(nint)k * panelWidth] = source[k];
                }
                for (var r = rows; r < panelWidth; r++)
                {
                    for (var k = 0; k < depth; k++)
                        panel[(nint)k * panelWidth + r] = 0f;
                }
            }
        }
    }

    /// <summary>Packs op(B)[depthStart.., columnStart..] of size depth × columnCount into <paramref name="destination"/>.</summary>
    public static unsafe void PackB(float* b, int strideB, bool transposeB, int depthStart, int depth, int columnStart, int columnCount, int panelWidth, float* destination)
    {
        for (var strip = 0; strip < columnCount; strip += panelWidth)
        {
            var columns = Math.Min(panelWidth, columnCount - strip);
            var panel = destination + (nint)strip * depth;
            if (transposeB)
            {
                // op(B)[k, j] = b[j, k]: read each stored row contiguously.
                for (var j = 0; j < columns; j++)
                {
                    var source = b + (nint)(columnStart + strip + j) * strideB + depthStart;
                    var target = panel + j;
                    for (var k = 0; k < depth; k++)
                        target[(nint)k * panelWidth] = source[k];
                }
                for (var j = columns; j < panelWidth; j++)
                {
                    for (var k = 0; k < depth; k++)
                        panel[(nint)k * panelWidth + j] = 0f;
                }
            }
            else if (columns == panelWidth)
            {
                var bytes = (uint)(panelWidth * sizeof(float));
                for (var k = 0; k < depth; k++)
                    Buffer.MemoryCopy(b + (nint)(depthStart + k) * strideB + columnStart + strip, panel + (nint)k * panelWidth, bytes, bytes);
            }
            else
            {
                for (var k = 0; k < depth; k++)
                {
                    var source = b + (nint)(depthStart + k) * strideB + columnStart + strip;
                    var target = panel + (nint)k * panelWidth;
                    for (var j = 0; j < columns; j++)
                        target[j] = source[j];
                    for (var j = columns; j < panelWidth; j++)
                        target[j] = 0f;
                }
            }
        }
    }
}
