using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels;

/// <summary>The element-wise activations a fused epilogue (GEMM, Conv) or an activation node applies.</summary>
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
    /// <summary>clamp(Alpha·x + Beta, 0, 1).</summary>
    HardSigmoid,
}

/// <summary>
/// An activation and its parameters (Clip's bounds in Alpha/Beta, LeakyRelu's slope in Alpha, HardSigmoid's
/// α and β). The one activation type of the engine: com.microsoft FusedConv/FusedGemm attributes parse into it
/// (<see cref="FromAttributes"/>) and the kernels run it through <see cref="Elementwise.ActivationKernel"/>.
/// </summary>
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

    public static Activation HardSigmoid(float alpha, float beta) => new(ActivationKind.HardSigmoid, alpha, beta);

    /// <summary>
    /// Reads com.microsoft's <c>activation</c> and <c>activation_params</c> attributes (ONNX Runtime's defaults
    /// for missing parameters); null for an activation name the engine does not implement.
    /// </summary>
    public static Activation? FromAttributes(string? name, float[]? parameters) => name switch
    {
        null or "" => None,
        "Relu" => Relu,
        "LeakyRelu" => LeakyRelu(parameters is [var slope, ..] ? slope : 0.01f),
        "Sigmoid" => Sigmoid,
        "Tanh" => Tanh,
        "Clip" => Clip(parameters is [var min, ..] ? min : float.MinValue, parameters is [_, var max, ..] ? max : float.MaxValue),
        "HardSigmoid" => HardSigmoid(parameters is [var alpha, ..] ? alpha : 0.2f, parameters is [_, var beta, ..] ? beta : 0.5f),
        _ => null,
    };

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
        ActivationKind.HardSigmoid => new HardSigmoidOp(Alpha, Beta).Invoke(x),
        _ => throw new InvalidOperationException($"Unknown activation {Kind}."),
    };
}
