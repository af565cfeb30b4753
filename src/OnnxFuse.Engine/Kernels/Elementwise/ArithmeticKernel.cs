using System.Numerics.Tensors;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>
/// Add, Sub, Mul, Div of two same-length spans or of a span and a scalar (no broadcasting beyond that; N-D
/// broadcasting is graph-level). Uses <see cref="TensorPrimitives"/> when the SIMD width is not capped, else
/// <see cref="BinaryDriver"/>.
/// </summary>
public static class ArithmeticKernel
{
    static bool Uncapped => SimdCapability.Width == SimdCapability.HardwareWidth && SimdCapability.Width != SimdWidth.Scalar;

    public static void Add(ReadOnlySpan<float> left, ReadOnlySpan<float> right, Span<float> output)
    {
        if (Uncapped) TensorPrimitives.Add(left, right, output);
        else BinaryDriver.Run<Simd.AddOp>(left, right, output);
    }

    public static void Add(ReadOnlySpan<float> left, float right, Span<float> output)
    {
        if (Uncapped) TensorPrimitives.Add(left, right, output);
        else BinaryDriver.Run<Simd.AddOp>(left, right, output);
    }

    public static void Subtract(ReadOnlySpan<float> left, ReadOnlySpan<float> right, Span<float> output)
    {
        if (Uncapped) TensorPrimitives.Subtract(left, right, output);
        else BinaryDriver.Run<SubtractOp>(left, right, output);
    }

    public static void Subtract(ReadOnlySpan<float> left, float right, Span<float> output)
    {
        if (Uncapped) TensorPrimitives.Subtract(left, right, output);
        else BinaryDriver.Run<SubtractOp>(left, right, output);
    }

    public static void Multiply(ReadOnlySpan<float> left, ReadOnlySpan<float> right, Span<float> output)
    {
        if (Uncapped) TensorPrimitives.Multiply(left, right, output);
        else BinaryDriver.Run<MultiplyOp>(left, right, output);
    }

    public static void Multiply(ReadOnlySpan<float> left, float right, Span<float> output)
    {
        if (Uncapped) TensorPrimitives.Multiply(left, right, output);
        else BinaryDriver.Run<MultiplyOp>(left, right, output);
    }

    public static void Divide(ReadOnlySpan<float> left, ReadOnlySpan<float> right, Span<float> output)
    {
        if (Uncapped) TensorPrimitives.Divide(left, right, output);
        else BinaryDriver.Run<DivideOp>(left, right, output);
    }

    public static void Divide(ReadOnlySpan<float> left, float right, Span<float> output)
    {
        if (Uncapped) TensorPrimitives.Divide(left, right, output);
        else BinaryDriver.Run<DivideOp>(left, right, output);
    }
}
