using System.Buffers;
using System.Numerics.Tensors;
using OnnxFuse.Engine.Kernels.Activation;
using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.LinearAlgebra;

/// <summary>
/// Gemm (float32): Y[M, N] = α · A'[M, K] · B'[K, N] + β · C, where A' = transA ? Aᵀ : A and B' likewise, and C
/// broadcasts to [M, N]. A constant B is transposed once at plan time when transB is set. An optional activation
/// (com.microsoft FusedGemm) is applied to Y.
/// </summary>
sealed class GemmKernel : Kernel
{
    readonly float _alpha;
    readonly float _beta;
    readonly bool _transA;
    readonly bool _transB;
    readonly float[]? _packedB;
    readonly int _packedInner;
    readonly int _packedColumns;
    readonly FusedActivation _activation;

    public GemmKernel(float alpha, float beta, bool transA, bool transB, TensorData? constantB, FusedActivation activation = default)
    {
        _alpha = alpha;
        _beta = beta;
        _transA = transA;
        _transB = transB;
        _activation = activation;
        if (constantB is { ElementType: ElementType.Float, Rank: 2 })
        {
            var rows = (int)constantB.Dims[0];
            var columns = (int)constantB.Dims[1];
            var source = constantB.AsSpan<float>();
            if (transB)
            {
                _packedB = new float[source.Length];
                MatrixTranspose.Run(source, rows, columns, _packedB);
                (_packedInner, _packedColumns) = (columns, rows);
            }
            else
            {
                _packedB = source.ToArray();
                (_packedInner, _packedColumns) = (rows, columns);
            }
        }
    }

    public override void Run(KernelContext context)
    {
        var a = context.Input(0);
        var rowCount = _transA ? a.Dim(1) : a.Dim(0);
        var innerCount = _transA ? a.Dim(0) : a.Dim(1);
        float[]? rentedA = null;
        float[]? rentedB = null;
        ReadOnlySpan<float> aData = a.Read<float>();
        if (_transA)
        {
            rentedA = ArrayPool<float>.Shared.Rent(aData.Length);
            MatrixTranspose.Run(aData, innerCount, rowCount, rentedA);
            aData = rentedA.AsSpan(0, aData.Length);
        }
        ReadOnlySpan<float> bData;
        int columnCount;
        if (_packedB is not null)
        {
            bData = _packedB;
            columnCount = _packedColumns;
            if (_packedInner != innerCount)
                Throw.ShapeMismatch($"Gemm inner dimensions differ: A gives {innerCount}, B {_packedInner}");
        }
        else
        {
            var b = context.Input(1);
            columnCount = _transB ? b.Dim(0) : b.Dim(1);
            bData = b.Read<float>();
            if (_transB)
            {
                rentedB = ArrayPool<float>.Shared.Rent(bData.Length);
                MatrixTranspose.Run(bData, columnCount, innerCount, rentedB);
                bData = rentedB.AsSpan(0, bData.Length);
            }
        }
        Span<int> dims = [rowCount, columnCount];
        var output = context.Output(0, ElementType.Float, dims);
        var y = output.Write<float>();
        GemmProvider.Current.Multiply(aData, bData, rowCount, innerCount, columnCount, false, context.ThreadCount, y);
        if (_alpha != 1f)
            TensorPrimitives.Multiply(y, _alpha, y);
        if (context.OptionalInput(2) is { } c && _beta != 0f)
        {
            var cData = c.Read<float>();
            if (_beta == 1f)
                BroadcastDriver.Run<float, float, NumericBinaryAdapter<float, AddOp>>(y, dims, cData, c.Dims, y, dims);
            else
            {
                var scaled = ArrayPool<float>.Shared.Rent(cData.Length);
                TensorPrimitives.Multiply(cData, _beta, scaled.AsSpan(0, cData.Length));
                BroadcastDriver.Run<float, float, NumericBinaryAdapter<float, AddOp>>(y, dims, scaled.AsSpan(0, cData.Length), c.Dims, y, dims);
                ArrayPool<float>.Shared.Return(scaled);
            }
        }
        _activation.Apply(y);
        if (rentedA is not null)
            ArrayPool<float>.Shared.Return(rentedA);
        if (rentedB is not null)
            ArrayPool<float>.Shared.Return(rentedB);
    }
}
