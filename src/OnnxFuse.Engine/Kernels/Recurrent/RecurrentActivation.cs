using System.Numerics.Tensors;
using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels.Recurrent;

/// <summary>The activation functions RNN, GRU and LSTM accept by name in their <c>activations</c> attribute.</summary>
enum RecurrentActivationKind
{
    Relu,
    Tanh,
    Sigmoid,
    /// <summary>α·x + β.</summary>
    Affine,
    /// <summary>x ≥ 0 ? x : α·x.</summary>
    LeakyRelu,
    /// <summary>x ≥ α ? x : 0.</summary>
    ThresholdedRelu,
    /// <summary>α·tanh(β·x).</summary>
    ScaledTanh,
    /// <summary>min(max(α·x + β, 0), 1).</summary>
    HardSigmoid,
    /// <summary>x ≥ 0 ? x : α·(eˣ − 1).</summary>
    Elu,
    /// <summary>x / (1 + |x|).</summary>
    Softsign,
    /// <summary>log(1 + eˣ).</summary>
    Softplus,
}

/// <summary>
/// One gate activation of a recurrent operator with its α and β. Sigmoid, Tanh, Relu, LeakyRelu and HardSigmoid run
/// through the SIMD operators of <see cref="ActivationKernel"/>, Affine and ScaledTanh through TensorPrimitives and
/// <see cref="TanhOp"/>; the rarely exported rest is scalar. <see cref="Invoke"/> is the scalar reference.
/// </summary>
readonly record struct RecurrentActivation(RecurrentActivationKind Kind, float Alpha = 0f, float Beta = 0f)
{
    /// <summary>
    /// Reads one name of the <c>activations</c> attribute (case-insensitive, as ONNX Runtime) and takes its α and β
    /// from <paramref name="alphas"/> and <paramref name="betas"/> in order, only for functions that have them (the
    /// spec's "consumed in the order of activation functions"), else the defaults of the ONNX operators of the same
    /// name. Null for an unknown name.
    /// </summary>
    public static RecurrentActivation? Parse(string name, ReadOnlySpan<float> alphas, ref int alphaIndex, ReadOnlySpan<float> betas,
        ref int betaIndex)
    {
        if (KindOf(name) is not { } kind)
            return null;
        var (defaultAlpha, defaultBeta, hasAlpha, hasBeta) = kind switch
        {
            RecurrentActivationKind.Affine => (1f, 0f, true, true),
            RecurrentActivationKind.LeakyRelu => (0.01f, 0f, true, false),
            RecurrentActivationKind.ThresholdedRelu => (1f, 0f, true, false),
            RecurrentActivationKind.ScaledTanh => (1f, 1f, true, true),
            RecurrentActivationKind.HardSigmoid => (0.2f, 0.5f, true, true),
            RecurrentActivationKind.Elu => (1f, 0f, true, false),
            _ => (0f, 0f, false, false),
        };
        var alpha = hasAlpha && alphaIndex < alphas.Length ? alphas[alphaIndex++] : defaultAlpha;
        var beta = hasBeta && betaIndex < betas.Length ? betas[betaIndex++] : defaultBeta;
        return new RecurrentActivation(kind, alpha, beta);
    }

    static RecurrentActivationKind? KindOf(string name)
    {
        foreach (var kind in Enum.GetValues<RecurrentActivationKind>())
            if (string.Equals(kind.ToString(), name, StringComparison.OrdinalIgnoreCase))
                return kind;
        return null;
    }

    /// <summary>The scalar definition (the reference the vector paths are tested against).</summary>
    public float Invoke(float x) => Kind switch
    {
        RecurrentActivationKind.Relu => MathF.Max(x, 0f),
        RecurrentActivationKind.Tanh => MathF.Tanh(x),
        RecurrentActivationKind.Sigmoid => 1f / (1f + MathF.Exp(-x)),
        RecurrentActivationKind.Affine => Alpha * x + Beta,
        RecurrentActivationKind.LeakyRelu => x >= 0f ? x : Alpha * x,
        RecurrentActivationKind.ThresholdedRelu => x >= Alpha ? x : 0f,
        RecurrentActivationKind.ScaledTanh => Alpha * MathF.Tanh(Beta * x),
        RecurrentActivationKind.HardSigmoid => MathF.Min(MathF.Max(Alpha * x + Beta, 0f), 1f),
        RecurrentActivationKind.Elu => x >= 0f ? x : Alpha * (MathF.Exp(x) - 1f),
        RecurrentActivationKind.Softsign => x / (1f + MathF.Abs(x)),
        RecurrentActivationKind.Softplus => x > 20f ? x : MathF.Log(1f + MathF.Exp(x)),
        _ => throw new InvalidOperationException($"Unknown recurrent activation {Kind}."),
    };

    /// <summary>y = activation(x); <paramref name="input"/> and <paramref name="output"/> may be the same span.</summary>
    public void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        switch (Kind)
        {
            case RecurrentActivationKind.Relu: ActivationKernel.Run(input, Activation.Relu, output); break;
            case RecurrentActivationKind.Tanh: ActivationKernel.Run(input, Activation.Tanh, output); break;
            case RecurrentActivationKind.Sigmoid: ActivationKernel.Run(input, Activation.Sigmoid, output); break;
            case RecurrentActivationKind.LeakyRelu: ActivationKernel.Run(input, Activation.LeakyRelu(Alpha), output); break;
            case RecurrentActivationKind.HardSigmoid: ActivationKernel.Run(input, Activation.HardSigmoid(Alpha, Beta), output); break;
            case RecurrentActivationKind.Affine:
                TensorPrimitives.Multiply(input, Alpha, output);
                TensorPrimitives.Add(output, Beta, output);
                break;
            case RecurrentActivationKind.ScaledTanh:
                TensorPrimitives.Multiply(input, Beta, output);
                UnaryDriver.Run<TanhOp>(output, output);
                TensorPrimitives.Multiply(output, Alpha, output);
                break;
            default:
                for (var i = 0; i < input.Length; i++)
                    output[i] = Invoke(input[i]);
                break;
        }
    }
}
