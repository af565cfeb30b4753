using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Nn;

/// <summary>
/// The Conv node (float32, 1-D and 2-D): X [N, C, H, W] ⊛ W [M, C/group, kH, kW] (+ B [M]) → Y [N, M, oH, oW], run by
/// <see cref="ConvKernel"/> (depthwise direct, 1×1 GEMM or im2col + GEMM) with the bias and the activation
/// (com.microsoft FusedConv) in its epilogue. Constant weights are packed on the first run and reused while the
/// input shape stays the same; run-time weights are packed on every run.
/// </summary>
sealed class ConvNodeKernel(WindowGeometry geometry, int groupCount, Activation activation, TensorData? constantWeights) : Kernel
{
    PackedConvWeights? _packed;

    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var w = context.Input(1);
        var bias = context.OptionalInput(2);
        if (x.ElementType != ElementType.Float)
            Throw.ShapeMismatch($"Conv supports float32 only, got {x.ElementType.DisplayName()}");
        Span<int> outputDims = stackalloc int[x.Rank];
        var p = ConvShape.Resolve(geometry, groupCount, x, w, context.ThreadCount, "Conv", outputDims) with { Activation = activation };
        var y = context.Output(0, ElementType.Float, outputDims).Write<float>();
        ConvKernel.Run(x.Read<float>(), Weights(w.Read<float>(), p), bias is null ? [] : bias.Read<float>(), p, y);
    }

    PackedConvWeights Weights(ReadOnlySpan<float> weights, in ConvParameters p)
    {
        var packed = _packed;
        if (packed is not null && packed.Parameters with { Activation = p.Activation, ThreadCount = p.ThreadCount, BatchCount = p.BatchCount } == p)
            return packed;
        packed = ConvKernel.PackWeights(weights, p);
        // A reference write is atomic, so concurrent runs at worst pack twice.
        if (constantWeights is not null)
            _packed = packed;
        return packed;
    }
}
