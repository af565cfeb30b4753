using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>The generalized cosine windows ONNX defines (opset 17).</summary>
enum WindowKind
{
    /// <summary>0.5 − 0.5·cos(2πn/N).</summary>
    Hann,
    /// <summary>25/46 − 21/46·cos(2πn/N).</summary>
    Hamming,
    /// <summary>0.42 − 0.5·cos(2πn/N) + 0.08·cos(4πn/N).</summary>
    Blackman,
}

/// <summary>
/// HannWindow, HammingWindow, BlackmanWindow: a 1-D window of the scalar <c>size</c> input's length, N = size when
/// <c>periodic</c> (default) and size − 1 otherwise, in <c>output_datatype</c> (default float32).
/// </summary>
sealed class WindowKernel(WindowKind kind, bool periodic, ElementType elementType) : Kernel
{
    public override void Run(KernelContext context)
    {
        var size = IntTensors.ScalarAsDouble(context.Input(0));
        if (size < 0 || size > int.MaxValue)
            Throw.ShapeMismatch($"{kind}Window size {size} is out of range");
        Span<int> dims = [(int)size];
        var output = context.Output(0, elementType, dims);
        var action = new Action(output, kind, periodic);
        ElementDispatch.Numeric(elementType, ref action);
    }

    public static double Value(WindowKind kind, int n, double period)
    {
        var angle = 2 * Math.PI * n / period;
        return kind switch
        {
            WindowKind.Hann => 0.5 - 0.5 * Math.Cos(angle),
            WindowKind.Hamming => 25.0 / 46 - 21.0 / 46 * Math.Cos(angle),
            _ => 0.42 - 0.5 * Math.Cos(angle) + 0.08 * Math.Cos(2 * angle),
        };
    }

    readonly struct Action(RuntimeTensor output, WindowKind kind, bool periodic) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            var y = output.Write<T>();
            var period = periodic ? y.Length : y.Length - 1;
            for (var n = 0; n < y.Length; n++)
                y[n] = T.CreateTruncating(Value(kind, n, period));
        }
    }
}
