namespace OnnxFuse.Engine.Kernels.LinearAlgebra;

/// <summary>Row-major 2-D transpose: destination[columnCount, rowCount] = source[rowCount, columnCount]ᵀ.</summary>
static class MatrixTranspose
{
    public static void Run(ReadOnlySpan<float> source, int rowCount, int columnCount, Span<float> destination)
    {
        const int Block = 32;
        for (var rowBlock = 0; rowBlock < rowCount; rowBlock += Block)
        {
            var rowEnd = Math.Min(rowBlock + Block, rowCount);
            for (var columnBlock = 0; columnBlock < columnCount; columnBlock += Block)
            {
                var columnEnd = Math.Min(columnBlock + Block, columnCount);
                for (var row = rowBlock; row < rowEnd; row++)
                    for (var column = columnBlock; column < columnEnd; column++)
                        destination[column * rowCount + row] = source[row * columnCount + column];
            }
        }
    }
}
