using System.Numerics.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>a ∧ b on bools stored as bytes 0/1.</summary>
readonly struct AndOp : IBinaryOp<byte, byte>
{
    public static void Invoke(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination) => TensorPrimitives.BitwiseAnd(left, right, destination);

    public static void Invoke(ReadOnlySpan<byte> left, byte right, Span<byte> destination) => TensorPrimitives.BitwiseAnd(left, right, destination);

    public static void Invoke(byte left, ReadOnlySpan<byte> right, Span<byte> destination) => TensorPrimitives.BitwiseAnd(right, left, destination);
}

/// <summary>a ∨ b on bools stored as bytes 0/1.</summary>
readonly struct OrOp : IBinaryOp<byte, byte>
{
    public static void Invoke(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination) => TensorPrimitives.BitwiseOr(left, right, destination);

    public static void Invoke(ReadOnlySpan<byte> left, byte right, Span<byte> destination) => TensorPrimitives.BitwiseOr(left, right, destination);

    public static void Invoke(byte left, ReadOnlySpan<byte> right, Span<byte> destination) => TensorPrimitives.BitwiseOr(right, left, destination);
}

/// <summary>a ⊕ b on bools stored as bytes 0/1.</summary>
readonly struct XorOp : IBinaryOp<byte, byte>
{
    public static void Invoke(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination) => TensorPrimitives.Xor(left, right, destination);

    public static void Invoke(ReadOnlySpan<byte> left, byte right, Span<byte> destination) => TensorPrimitives.Xor(left, right, destination);

    public static void Invoke(byte left, ReadOnlySpan<byte> right, Span<byte> destination) => TensorPrimitives.Xor(right, left, destination);
}
