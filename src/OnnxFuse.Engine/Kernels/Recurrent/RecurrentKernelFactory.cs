using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Recurrent;

/// <summary>Reads the attributes of RNN, GRU and LSTM nodes into their kernels, rejecting at plan time what they do not run.</summary>
static class RecurrentKernelFactory
{
    public static Kernel Rnn(KernelCreateInfo info) =>
        new RnnKernel(Options(info, ["Tanh"]), info.Constant(1), info.Constant(2));

    public static Kernel Gru(KernelCreateInfo info) =>
        new GruKernel(Options(info, ["Sigmoid", "Tanh"]), info.GetInt("linear_before_reset", 0) != 0, info.Constant(1), info.Constant(2));

    public static Kernel Lstm(KernelCreateInfo info) =>
        new LstmKernel(Options(info, ["Sigmoid", "Tanh", "Tanh"]), info.GetInt("input_forget", 0) != 0, info.Constant(1), info.Constant(2));

    /// <summary>
    /// The shared attributes. <c>activations</c> lists the functions of every direction (forward first); a bidirectional
    /// node that lists one direction's functions uses them for both, as ONNX Runtime does.
    /// </summary>
    static RecurrentOptions Options(KernelCreateInfo info, string[] defaultActivations)
    {
        if (info.InputElementType(0) is not (null or ElementType.Float))
            throw info.Unsupported($"{info.OpType} of {info.InputElementType(0)?.DisplayName()}");
        var direction = info.GetString("direction", "forward") switch
        {
            "forward" => RecurrentDirection.Forward,
            "reverse" => RecurrentDirection.Reverse,
            "bidirectional" => RecurrentDirection.Bidirectional,
            var other => throw info.Unsupported($"direction '{other}'"),
        };
        var directionCount = direction == RecurrentDirection.Bidirectional ? 2 : 1;
        var names = info.FindAttr("activations")?.AsStrings().ToArray() ?? [];
        if (names.Length == 0)
            names = defaultActivations;
        var perDirection = defaultActivations.Length;
        if (names.Length == perDirection && directionCount == 2)
            names = [.. names, .. names];
        if (names.Length != perDirection * directionCount)
            throw info.Unsupported($"{names.Length} activations for {directionCount} direction(s) of {perDirection} each");
        var alphas = info.GetFloats("activation_alpha") ?? [];
        var betas = info.GetFloats("activation_beta") ?? [];
        var (alphaIndex, betaIndex) = (0, 0);
        var activations = new RecurrentActivation[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            activations[i] = RecurrentActivation.Parse(names[i], alphas, ref alphaIndex, betas, ref betaIndex)
                ?? throw info.Unsupported($"activation '{names[i]}'");
        }
        int? hiddenSize = info.FindAttr("hidden_size") is { } attr ? checked((int)attr.AsInt()) : null;
        var clip = info.FindAttr("clip") is { } clipAttr ? clipAttr.AsFloat() : float.PositiveInfinity;
        if (!(clip > 0f))
            throw info.Unsupported($"clip = {clip}");
        return new RecurrentOptions(direction, hiddenSize, activations, clip, info.GetInt("layout", 0) != 0);
    }
}
