namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>Where a fused bias is added: one value per output column (Gemm's C of shape [N]) or per row (Conv's channel).</summary>
public enum BiasKind
{
    None,
    PerColumn,
    PerRow,
}

/// <summary>
/// Arguments of C = activation(alpha · op(A) · op(B) + beta · C + bias), all row-major.
/// op(A) is [RowCount × Depth] (A is stored [Depth × RowCount] when <see cref="TransposeA"/>),
/// op(B) is [Depth × ColumnCount] (B is stored [ColumnCount × Depth] when <see cref="TransposeB"/>),
/// C is [RowCount × ColumnCount]. A leading dimension of 0 means "packed": the stored row length.
/// With beta = 0, C is never read (it may hold NaN).
/// </summary>
public readonly record struct GemmParameters(int RowCount, int ColumnCount, int Depth)
{
    public bool TransposeA { get; init; }
    public bool TransposeB { get; init; }
    public int LeadingA { get; init; }
    public int LeadingB { get; init; }
    public int LeadingC { get; init; }
    public float Alpha { get; init; } = 1f;
    public float Beta { get; init; }
    public BiasKind BiasKind { get; init; }
    public Activation Activation { get; init; }

    /// <summary>Most threads to use (the calling thread included); small problems run on one regardless.</summary>
    public int ThreadCount { get; init; } = 1;

    internal int StrideA => LeadingA > 0 ? LeadingA : TransposeA ? RowCount : Depth;
    internal int StrideB => LeadingB > 0 ? LeadingB : TransposeB ? Depth : ColumnCount;
    internal int StrideC => LeadingC > 0 ? LeadingC : ColumnCount;
    internal bool HasEpilogue => BiasKind != BiasKind.None || Activation.Kind != ActivationKind.None;
}
