namespace OnnxFuse.Engine.Kernels.Activation;

/// <summary>LeakyRelu: y = x ≥ 0 ? x : α·x (float32).</summary>
sealed class LeakyReluKernel(float alpha) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        Compute(input.Read<float>(), alpha, context.Output(0, input.ElementType, input.Dims).Write<float>());
    }

    public static void Compute(ReadOnlySpan<float> input, float alpha, Span<float> output)
    {
        for (var i = 0; i < input.Length; i++)
            output[i] = input[i] >= 0 ? input[i] : alpha * input[i];
    }
}
