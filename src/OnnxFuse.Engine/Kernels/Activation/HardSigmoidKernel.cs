namespace OnnxFuse.Engine.Kernels.Activation;

/// <summary>HardSigmoid: y = clamp(α·x + β, 0, 1), float32.</summary>
sealed class HardSigmoidKernel(float alpha, float beta) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        Compute(input.Read<float>(), alpha, beta, context.Output(0, input.ElementType, input.Dims).Write<float>());
    }

    public static void Compute(ReadOnlySpan<float> input, float alpha, float beta, Span<float> output)
    {
        for (var i = 0; i < input.Length; i++)
            output[i] = Math.Clamp(alpha * input[i] + beta, 0f, 1f);
    }
}
