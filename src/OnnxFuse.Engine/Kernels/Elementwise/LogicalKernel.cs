using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>And, Or, Xor on bool tensors with numpy broadcasting.</summary>
sealed class LogicalKernel<TOp> : Kernel where TOp : IBinaryOp<byte, byte>
{
    public override void Run(KernelContext context)
    {
        var left = context.Input(0);
        var right = context.Input(1);
        Span<int> dims = stackalloc int[ShapeMath.MaxRank];
        var rank = ShapeMath.Broadcast(left.Dims, right.Dims, dims);
        var output = context.Output(0, ElementType.Bool, dims[..rank]);
        BroadcastDriver.Run<byte, byte, TOp>(left.Read<byte>(), left.Dims, right.Read<byte>(), right.Dims, output.Write<byte>(), output.Dims);
    }
}
