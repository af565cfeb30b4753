namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

/// <summary>The int8 GEMM tests' oracle: the defining sum Σₖ (A − za)(B − zb) in long arithmetic, and their random operands.</summary>
static class Int8ProductReference
{
    /// <summary>
    /// A [rows × depth] times B [depth × columns], row-major bytes read as int8 or uint8, zero points none, one, or one per row
    /// of A / per column of B; overflow of int32 is an error, not a wrap.
    /// </summary>
    public static int[] Multiply(byte[] a, bool aSigned, int[] aZeros, byte[] b, bool bSigned, int[] bZeros, int rows, int columns, int depth)
    {
        var result = new int[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            var za = aZeros.Length == 0 ? 0 : aZeros[aZeros.Length == 1 ? 0 : r];
            for (var c = 0; c < columns; c++)
            {
                var zb = bZeros.Length == 0 ? 0 : bZeros[bZeros.Length == 1 ? 0 : c];
                long sum = 0;
                for (var k = 0; k < depth; k++)
                    sum += (long)(Value(a[r * depth + k], aSigned) - za) * (Value(b[k * columns + c], bSigned) - zb);
                result[r * columns + c] = checked((int)sum);
            }
        }
        return result;
    }

    public static int Value(byte raw, bool signed) => signed ? (sbyte)raw : raw;

    public static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
