using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>Add, Sub, Mul, Div: C = A op B with numpy broadcasting, for every numeric element type.</summary>
sealed class BinaryArithmeticKernel<TOp> : Kernel where TOp : INumericBinaryOp
{
    public override void Run(KernelContext context)
    {
        var left = context.Input(0);
        var right = context.Input(1);
        if (left.ElementType != right.ElementType)
            Throw.ShapeMismatch($"operands are {left.ElementType.DisplayName()} and {right.ElementType.DisplayName()}");
        Span<int> dims = stackalloc int[ShapeMath.MaxRank];
        var rank = ShapeMath.Broadcast(left.Dims, right.Dims, dims);
        var output = context.Output(0, left.ElementType, dims[..rank]);
        var action = new Action(left, right, output);
        ElementDispatch.Numeric(left.ElementType, ref action);
    }

    readonly struct Action(RuntimeTensor left, RuntimeTensor right, RuntimeTensor output) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T> =>
            BroadcastDriver.Run<T, T, NumericBinaryAdapter<T, TOp>>(left.Read<T>(), left.Dims, right.Read<T>(), right.Dims, output.Write<T>(), output.Dims);
    }
}
