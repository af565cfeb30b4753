namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// How many rows a microkernel body keeps in registers, as a type so the JIT compiles one body per height and
/// drops the accumulators a shorter body does not use.
/// </summary>
interface IGemmTileRows
{
    static abstract int Count { get; }
}

/// <summary>The full 6-row Vector256 tile.</summary>
readonly struct SixTileRows : IGemmTileRows
{
    public static int Count => 6;
}

/// <summary>A 4-row tile for the last rows of A: its 8 accumulators still fill both FMA pipes.</summary>
readonly struct FourTileRows : IGemmTileRows
{
    public static int Count => 4;
}

/// <summary>A 2-row tile: the int8 GEMM's last 1–2 rows of a panel (QGemm's single row among them).</summary>
readonly struct TwoTileRows : IGemmTileRows
{
    public static int Count => 2;
}
