using System.Buffers;
using System.Numerics;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Loss;

/// <summary>
/// SoftmaxCrossEntropyLoss: scores [N, C, d…] go through log-softmax over the class axis (output 1, log_prob, when
/// read), then <see cref="NegativeLogLikelihood"/> with labels [N, d…] and the optional weight [C].
/// </summary>
sealed class SoftmaxCrossEntropyLossKernel(LossReduction reduction, long? ignoreIndex) : Kernel
{
    public override void Run(KernelContext context)
    {
        var scores = context.Input(0);
        var labels = context.Input(1);
        Span<int> dims = stackalloc int[ShapeMath.MaxRank];
        var rank = NegativeLogLikelihood.OutputDims(scores, labels, reduction, "SoftmaxCrossEntropyLoss", dims);
        var loss = context.Output(0, scores.ElementType, dims[..rank]);
        var logProbabilities = context.HasOutput(1) ? context.Output(1, scores.ElementType, scores.Dims) : null;
        var action = new Action(scores, labels, context.OptionalInput(2), loss, logProbabilities, reduction, ignoreIndex);
        ElementDispatch.Float(scores.ElementType, ref action);
    }

    /// <summary>log_prob[n, c, d] = x[n, c, d] − max − log Σ_c e^(x − max), in double.</summary>
    static void LogSoftmax<T>(ReadOnlySpan<T> scores, int batch, int classes, int inner, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var n = 0; n < batch; n++)
        {
            for (var d = 0; d < inner; d++)
            {
                var start = n * classes * inner + d;
                var max = double.NegativeInfinity;
                for (var c = 0; c < classes; c++)
                    max = Math.Max(max, double.CreateTruncating(scores[start + c * inner]));
                var sum = 0.0;
                for (var c = 0; c < classes; c++)
                    sum += Math.Exp(double.CreateTruncating(scores[start + c * inner]) - max);
                var shift = max + Math.Log(sum);
                for (var c = 0; c < classes; c++)
                    output[start + c * inner] = T.CreateTruncating(double.CreateTruncating(scores[start + c * inner]) - shift);
            }
        }
    }

    readonly struct Action(RuntimeTensor scores, RuntimeTensor labels, RuntimeTensor? weight, RuntimeTensor loss, RuntimeTensor? logProbabilities,
        LossReduction reduction, long? ignoreIndex) : IFloatAction
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var rented = logProbabilities is null ? ArrayPool<T>.Shared.Rent(scores.ElementCount) : null;
            var logProb = logProbabilities is null ? rented.AsSpan(0, scores.ElementCount) : logProbabilities.Write<T>();
            var (batch, classes) = (scores.Dim(0), scores.Dim(1));
            LogSoftmax(scores.Read<T>(), batch, classes, ShapeMath.Product(scores.Dims, 2, scores.Rank), logProb);
            NegativeLogLikelihood.Compute<T>(logProb, scores.Dims, labels, weight is null ? [] : weight.Read<T>(), ignoreIndex, reduction,
                "SoftmaxCrossEntropyLoss", loss.Write<T>());
            if (rented is not null)
                ArrayPool<T>.Shared.Return(rented);
        }
    }
}
