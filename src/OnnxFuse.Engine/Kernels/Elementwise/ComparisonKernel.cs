using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>Equal, Less, Greater, LessOrEqual, GreaterOrEqual: bool C = A op B with numpy broadcasting.</summary>
sealed class ComparisonKernel<TOp> : Kernel where TOp : IComparisonOp
{
    public override void Run(KernelContext context)
    {
        var left = context.Input(0);
        var right = context.Input(1);
        Span<int> dims = stackalloc int[ShapeMath.MaxRank];
        var rank = ShapeMath.Broadcast(left.Dims, right.Dims, dims);
        var output = context.Output(0, ElementType.Bool, dims[..rank]);
        var action = new Action(left, right, output);
        // bool compares as its byte value (0 or 1).
        ElementDispatch.Numeric(left.ElementType == ElementType.Bool ? ElementType.UInt8 : left.ElementType, ref action);
    }

    readonly struct Action(RuntimeTensor left, RuntimeTensor right, RuntimeTensor output) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T> =>
            BroadcastDriver.Run<T, bool, ComparisonAdapter<T, TOp>>(left.Read<T>(), left.Dims, right.Read<T>(), right.Dims, output.Write<bool>(), output.Dims);
    }
}
