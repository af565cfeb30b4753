using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.LinearAlgebra;

/// <summary>
/// The Gemm node (float32): Y[M, N] = activation(α · A'[M, K] · B'[K, N] + β · C), where A' = transA ? Aᵀ : A and B'
/// likewise, and C broadcasts to [M, N]; runs <see cref="GemmKernel"/>. A constant B is packed once at plan time.
/// A row-vector C with β = 1 is the GEMM's per-column bias epilogue; any other C is broadcast into Y first and
/// scaled by the GEMM's beta. The activation (com.microsoft FusedGemm) runs in the epilogue.
/// </summary>
sealed class GemmNodeKernel : Kernel
{
    readonly float _alpha;
    readonly float _beta;
    readonly bool _transA;
    readonly bool _transB;
    readonly PackedMatrix? _packedB;
    readonly Activation _activation;

    public GemmNodeKernel(float alpha, float beta, bool transA, bool transB, TensorData? constantB, Activation activation)
    {
        _alpha = alpha;
        _beta = beta;
        _transA = transA;
        _transB = transB;
        _activation = activation;
        _packedB = ConstantMatrix.PackB(constantB, transB);
    }

    public override void Run(KernelContext context)
    {
        var a = context.Input(0);
        if (a.ElementType != ElementType.Float || a.Rank != 2)
            Throw.ShapeMismatch($"Gemm expects a float32 matrix A, got {a}");
        var rowCount = _transA ? a.Dim(1) : a.Dim(0);
        var depth = _transA ? a.Dim(0) : a.Dim(1);
        var b = _packedB is null ? context.Input(1) : null;
        var columnCount = b is null ? _packedB!.OuterCount : _transB ? b.Dim(0) : b.Dim(1);
        var bDepth = b is null ? _packedB!.Depth : _transB ? b.Dim(1) : b.Dim(0);
        if (bDepth != depth)
            Throw.ShapeMismatch($"Gemm inner dimensions differ: A gives {depth}, B {bDepth}");
        Span<int> dims = [rowCount, columnCount];
        var y = context.Output(0, ElementType.Float, dims).Write<float>();
        var p = new GemmParameters(rowCount, columnCount, depth)
        {
            TransposeA = _transA,
            TransposeB = _transB && b is not null,
            Alpha = _alpha,
            Activation = _activation,
            ThreadCount = context.ThreadCount,
        };
        ReadOnlySpan<float> bias = [];
        if (context.OptionalInput(2) is { } c && _beta != 0f)
        {
            if (_beta == 1f && c.ElementCount == columnCount && (c.Rank == 1 || c.Rank == 2 && c.Dim(0) == 1))
            {
                bias = c.Read<float>();
                p = p with { BiasKind = BiasKind.PerColumn };
            }
            else
            {
                BroadcastCopy.Run(c.Read<float>(), c.Dims, y, dims);
                p = p with { Beta = _beta };
            }
        }
        if (b is null)
            GemmKernel.Run(a.Read<float>(), _packedB!, bias, p, y);
        else
            GemmKernel.Run(a.Read<float>(), b.Read<float>(), bias, p, y);
    }
}
