namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>Scalar helpers for edge tiles.</summary>
static class GemmTile
{
    /// <summary>c[r, j] = tile[r, j] + beta · c[r, j] for the valid corner (beta = 0 never reads C).</summary>
    public static unsafe void CopyCorner(float* tile, int tileStride, int rowCount, int columnCount, float beta, float* c, int strideC)
    {
        for (var r = 0; r < rowCount; r++)
        {
            var source = tile + r * tileStride;
            var destination = c + (nint)r * strideC;
            if (beta == 0f)
            {
                for (var j = 0; j < columnCount; j++)
                    destination[j] = source[j];
            }
            else
            {
                for (var j = 0; j < columnCount; j++)
                    destination[j] = source[j] + beta * destination[j];
            }
        }
    }
}
