using System.Numerics;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Activations;

/// <summary>
/// Hardmax: 1 at the first maximum of each line along <c>axis</c>, 0 elsewhere (floating point). Opset 13+: the single
/// axis (default −1); before 13 (<paramref name="coerceTo2D"/>) the input is viewed as 2-D [∏dims[..axis], ∏dims[axis..]]
/// (default axis 1), as Softmax.
/// </summary>
sealed class HardmaxKernel(long axis, bool coerceTo2D) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0, input.ElementType, input.Dims);
        if (input.ElementCount == 0)
            return;
        var normalizedAxis = ShapeMath.NormalizeAxis(axis, input.Rank);
        var (lineLength, innerCount) = coerceTo2D
            ? (ShapeMath.Product(input.Dims, normalizedAxis, input.Rank), 1)
            : (input.Dim(normalizedAxis), ShapeMath.Product(input.Dims, normalizedAxis + 1, input.Rank));
        var action = new Action(input, output, lineLength, innerCount);
        ElementDispatch.Float(input.ElementType, ref action);
    }

    readonly struct Action(RuntimeTensor input, RuntimeTensor output, int lineLength, int innerCount) : IFloatAction
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var x = input.Read<T>();
            var y = output.Write<T>();
            y.Clear();
            var outerCount = x.Length / (lineLength * innerCount);
            for (var outer = 0; outer < outerCount; outer++)
            {
                for (var inner = 0; inner < innerCount; inner++)
                {
                    var start = outer * lineLength * innerCount + inner;
                    var best = 0;
                    for (var i = 1; i < lineLength; i++)
                        if (x[start + i * innerCount] > x[start + best * innerCount])
                            best = i;
                    y[start + best * innerCount] = T.One;
                }
            }
        }
    }
}
