using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Activations;

/// <summary>PRelu: y = x ≥ 0 ? x : slope·x, with the slope broadcast to x (float32).</summary>
sealed class PReluKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var slope = context.Input(1);
        Span<int> dims = stackalloc int[ShapeMath.MaxRank];
        var rank = ShapeMath.Broadcast(input.Dims, slope.Dims, dims);
        var output = context.Output(0, input.ElementType, dims[..rank]);
        Elementwise.BroadcastDriver.Run<float, float, PReluOp>(input.Read<float>(), input.Dims, slope.Read<float>(), slope.Dims,
            output.Write<float>(), output.Dims);
    }

    readonly struct PReluOp : Elementwise.IBinaryOp<float, float>
    {
        public static void Invoke(ReadOnlySpan<float> left, ReadOnlySpan<float> right, Span<float> destination)
        {
            for (var i = 0; i < destination.Length; i++)
                destination[i] = left[i] >= 0 ? left[i] : left[i] * right[i];
        }

        public static void Invoke(ReadOnlySpan<float> left, float right, Span<float> destination)
        {
            for (var i = 0; i < destination.Length; i++)
                destination[i] = left[i] >= 0 ? left[i] : left[i] * right;
        }

        public static void Invoke(float left, ReadOnlySpan<float> right, Span<float> destination)
        {
            for (var i = 0; i < destination.Length; i++)
                destination[i] = left >= 0 ? left : left * right[i];
        }
    }
}
