using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels;

/// <summary>The element-wise activations a fused epilogue can apply.</summary>
public enum ActivationKind
{
    None,
    Relu,
    /// <summary>min(max(x, Alpha), Beta); Relu6 is Clip(0, 6).</summary>
    Clip,
    /// <summary>x ≥ 0 ? x : Alpha·x.</summary>
    LeakyRelu,
    Sigmoid,
    Tanh,
    /// <summary>½·x·(1 + erf(x/√2)).</summary>
    Gelu,
}

/// <summary>An activation and its parameters (Clip's bounds in Alpha/Beta, LeakyRelu's slope in Alpha).</summary>
public readonly record struct Activation(ActivationKind Kind, float Alpha = 0f, float Beta = 0f)
{
    public static Activation None => default;
    public static Activation Relu => new(ActivationKind.Relu);
    public static Activation Relu6 => new(ActivationKind.Clip, 0f, 6f);
    public static Activation Sigmoid => new(ActivationKind.Sigmoid);
    public static Activation Tanh => new(ActivationKind.Tanh);
    public static Activation Gelu => new(ActivationKind.Gelu);

    public static Activation Clip(float min, float max) => new(ActivationKind.Clip, min, max);

    public static Activation LeakyRelu(float slope) => new(ActivationKind.LeakyRelu, slope);

    /// <summary>The scalar definition (the reference the vector paths are tested against).</summary>
    public float Apply(float x) => Kind switch
    {
        ActivationKind.None => x,
        ActivationKind.Relu => default(ReluOp).Invoke(x),
        ActivationKind.Clip => new ClipOp(Alpha, Beta).Invoke(x),
        ActivationKind.LeakyRelu => new LeakyReluOp(Alpha).Invoke(x),
        ActivationKind.Sigmoid => default(SigmoidOp).Invoke(x),
        ActivationKind.Tanh => default(TanhOp).Invoke(x),
        ActivationKind.Gelu => default(GeluOp).Invoke(x),
        _ => throw new InvalidOperationException($"Unknown activation {Kind}."),
    };
}
