using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Loss;

/// <summary>The <c>reduction</c> of NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss.</summary>
enum LossReduction
{
    None,
    Sum,
    Mean,
}

/// <summary>
/// The loss both class-loss operators end in: for input [N, C, d…] (log-probabilities) and integer target [N, d…],
/// loss[n, d] = −input[n, target[n, d], d] · weight[target[n, d]] (weight 1 when omitted; 0 where target is
/// ignore_index). <see cref="LossReduction.None"/> keeps target's shape, Sum adds the losses up, Mean divides the sum by
/// the total weight of the targets not ignored. Accumulated in double.
/// </summary>
static class NegativeLogLikelihood
{
    public static LossReduction? ParseReduction(string name) => name switch
    {
        "none" => LossReduction.None,
        "sum" => LossReduction.Sum,
        "mean" => LossReduction.Mean,
        _ => null,
    };

    /// <summary>Checks input and target and writes the output's dims (target's, or none for a reduced loss); returns the rank.</summary>
    public static int OutputDims(RuntimeTensor input, RuntimeTensor target, LossReduction reduction, string opType, Span<int> dims)
    {
        if (input.Rank < 2 || target.Rank != input.Rank - 1 || target.Dim(0) != input.Dim(0) || !target.Dims[1..].SequenceEqual(input.Dims[2..]))
            Throw.ShapeMismatch($"{opType} needs input [N, C, d…] and target [N, d…], got {input} and {target}");
        if (reduction != LossReduction.None)
            return 0;
        target.Dims.CopyTo(dims);
        return target.Rank;
    }

    public static void Compute<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputDims, RuntimeTensor target, ReadOnlySpan<T> weight, long? ignoreIndex,
        LossReduction reduction, string opType, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (batch, classes) = (inputDims[0], inputDims[1]);
        var inner = ShapeMath.Product(inputDims, 2, inputDims.Length);
        if (!weight.IsEmpty && weight.Length != classes)
            Throw.ShapeMismatch($"{opType} weight holds {weight.Length} values for {classes} classes");
        double sum = 0, weightSum = 0;
        for (var n = 0; n < batch; n++)
        {
            for (var d = 0; d < inner; d++)
            {
                var position = n * inner + d;
                var label = target.ElementType == Ir.Tensors.ElementType.Int32 ? target.Read<int>()[position] : target.Read<long>()[position];
                double loss = 0, w = 0;
                if (label != ignoreIndex)
                {
                    if ((ulong)label >= (ulong)classes)
                        Throw.ShapeMismatch($"{opType} target {label} is outside [0, {classes})");
                    w = weight.IsEmpty ? 1 : double.CreateTruncating(weight[(int)label]);
                    loss = -double.CreateTruncating(input[(n * classes + (int)label) * inner + d]) * w;
                }
                if (reduction == LossReduction.None)
                    output[position] = T.CreateTruncating(loss);
                sum += loss;
                weightSum += w;
            }
        }
        if (reduction != LossReduction.None)
            output[0] = T.CreateTruncating(reduction == LossReduction.Sum ? sum : sum / weightSum);
    }
}
