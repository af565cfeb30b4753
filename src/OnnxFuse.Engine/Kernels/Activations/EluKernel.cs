namespace OnnxFuse.Engine.Kernels.Activations;

/// <summary>Elu / Selu: y = γ · (x &gt; 0 ? x : α(eˣ − 1)) (Elu has γ = 1), float32.</summary>
sealed class EluKernel(float alpha, float gamma) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        Compute(input.Read<float>(), alpha, gamma, context.Output(0, input.ElementType, input.Dims).Write<float>());
    }

    public static void Compute(ReadOnlySpan<float> input, float alpha, float gamma, Span<float> output)
    {
        for (var i = 0; i < input.Length; i++)
            output[i] = gamma * (input[i] > 0 ? input[i] : alpha * (MathF.Exp(input[i]) - 1f));
    }
}
