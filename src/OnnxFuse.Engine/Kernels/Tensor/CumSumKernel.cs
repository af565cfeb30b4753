using System.Numerics;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>CumSum: running sums along the axis given by input 1, optionally exclusive (shifted by one) and/or reversed.</summary>
sealed class CumSumKernel(bool exclusive, bool reverse) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        Span<long> axisValue = stackalloc long[1];
        IntTensors.Read(context.Input(1), axisValue);
        var axis = ShapeMath.NormalizeAxis(axisValue[0], x.Rank);
        var output = context.Output(0, x.ElementType, x.Dims);
        var action = new Action(x, output, ShapeMath.Product(x.Dims, 0, axis), x.Dim(axis), ShapeMath.Product(x.Dims, axis + 1, x.Rank), exclusive, reverse);
        ElementDispatch.Numeric(x.ElementType, ref action);
    }

    readonly struct Action(RuntimeTensor x, RuntimeTensor output, int outerCount, int axisSize, int innerCount, bool exclusive, bool reverse) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            var source = x.Read<T>();
            var target = output.Write<T>();
            for (var outer = 0; outer < outerCount; outer++)
                for (var inner = 0; inner < innerCount; inner++)
                {
                    var sum = T.Zero;
                    for (var step = 0; step < axisSize; step++)
                    {
                        var i = reverse ? axisSize - 1 - step : step;
                        var index = (outer * axisSize + i) * innerCount + inner;
                        if (exclusive)
                        {
                            target[index] = sum;
                            sum += source[index];
                        }
                        else
                        {
                            sum += source[index];
                            target[index] = sum;
                        }
                    }
                }
        }
    }
}
