using System.Numerics;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Activations;

/// <summary>The element-wise activations with a threshold or scale parameter that have no SIMD operator of their own.</summary>
enum ThresholdActivation
{
    /// <summary>y = max(0, x) + min(0, α·(e^(x/α) − 1)).</summary>
    Celu,
    /// <summary>y = x &gt; α ? x : 0.</summary>
    ThresholdedRelu,
    /// <summary>y = x &lt; −λ ? x + bias : x &gt; λ ? x − bias : 0 (λ in Alpha, bias in Beta).</summary>
    Shrink,
}

/// <summary>Celu, ThresholdedRelu and Shrink over floating-point tensors; same shape in and out.</summary>
sealed class ThresholdActivationKernel(ThresholdActivation kind, float alpha, float beta) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0, input.ElementType, input.Dims);
        var action = new Action(input, output, kind, alpha, beta);
        ElementDispatch.Float(input.ElementType, ref action);
    }

    public static T Invoke<T>(ThresholdActivation kind, T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => kind switch
    {
        ThresholdActivation.Celu => T.Max(T.Zero, x) + T.Min(T.Zero, alpha * (T.Exp(x / alpha) - T.One)),
        ThresholdActivation.ThresholdedRelu => x > alpha ? x : T.Zero,
        _ => x < -alpha ? x + beta : x > alpha ? x - beta : T.Zero,
    };

    readonly struct Action(RuntimeTensor input, RuntimeTensor output, ThresholdActivation kind, float alpha, float beta) : IFloatAction
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var x = input.Read<T>();
            var y = output.Write<T>();
            var (a, b) = (T.CreateTruncating(alpha), T.CreateTruncating(beta));
            for (var i = 0; i < x.Length; i++)
                y[i] = ThresholdActivationKernel.Invoke(kind, x[i], a, b);
        }
    }
}
