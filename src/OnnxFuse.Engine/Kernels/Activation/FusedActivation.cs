using System.Numerics.Tensors;

namespace OnnxFuse.Engine.Kernels.Activation;

/// <summary>The activation a com.microsoft FusedConv / FusedGemm applies in place to its result.</summary>
enum FusedActivationKind
{
    None,
    Relu,
    LeakyRelu,
    Sigmoid,
    Tanh,
    Clip,
    HardSigmoid,
}

/// <summary>An activation and its parameters (α and β for LeakyRelu/HardSigmoid, min/max for Clip).</summary>
readonly record struct FusedActivation(FusedActivationKind Kind, float Alpha = 0f, float Beta = 0f)
{
    /// <summary>Reads com.microsoft's <c>activation</c> and <c>activation_params</c> attributes.</summary>
    public static FusedActivation From(string? name, float[]? parameters) => name switch
    {
        null or "" => default,
        "Relu" => new(FusedActivationKind.Relu),
        "LeakyRelu" => new(FusedActivationKind.LeakyRelu, parameters is [var a, ..] ? a : 0.01f),
        "Sigmoid" => new(FusedActivationKind.Sigmoid),
        "Tanh" => new(FusedActivationKind.Tanh),
        "Clip" => new(FusedActivationKind.Clip, parameters is [var min, ..] ? min : float.MinValue, parameters is [_, var max, ..] ? max : float.MaxValue),
        "HardSigmoid" => new(FusedActivationKind.HardSigmoid, parameters is [var a, ..] ? a : 0.2f, parameters is [_, var b, ..] ? b : 0.5f),
        _ => throw new NotSupportedException($"fused activation '{name}'"),
    };

    public void Apply(Span<float> values)
    {
        switch (Kind)
        {
            case FusedActivationKind.Relu: TensorPrimitives.Max(values, 0f, values); break;
            case FusedActivationKind.LeakyRelu: LeakyReluKernel.Compute(values, Alpha, values); break;
            case FusedActivationKind.Sigmoid: TensorPrimitives.Sigmoid(values, values); break;
            case FusedActivationKind.Tanh: TensorPrimitives.Tanh(values, values); break;
            case FusedActivationKind.Clip:
                TensorPrimitives.Max(values, Alpha, values);
                TensorPrimitives.Min(values, Beta, values);
                break;
            case FusedActivationKind.HardSigmoid: HardSigmoidKernel.Compute(values, Alpha, Beta, values); break;
            default: break;
        }
    }
}
