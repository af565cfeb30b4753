using System.Numerics;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Loss;

/// <summary>NegativeLogLikelihoodLoss: input (log-probabilities) [N, C, d…], target [N, d…], optional weight [C]; see <see cref="NegativeLogLikelihood"/>.</summary>
sealed class NegativeLogLikelihoodLossKernel(LossReduction reduction, long? ignoreIndex) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var target = context.Input(1);
        Span<int> dims = stackalloc int[ShapeMath.MaxRank];
        var rank = NegativeLogLikelihood.OutputDims(input, target, reduction, "NegativeLogLikelihoodLoss", dims);
        var output = context.Output(0, input.ElementType, dims[..rank]);
        var action = new Action(input, target, context.OptionalInput(2), output, reduction, ignoreIndex);
        ElementDispatch.Float(input.ElementType, ref action);
    }

    readonly struct Action(RuntimeTensor input, RuntimeTensor target, RuntimeTensor? weight, RuntimeTensor output, LossReduction reduction,
        long? ignoreIndex) : IFloatAction
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            NegativeLogLikelihood.Compute(input.Read<T>(), input.Dims, target, weight is null ? [] : weight.Read<T>(), ignoreIndex, reduction,
                "NegativeLogLikelihoodLoss", output.Write<T>());
    }
}
