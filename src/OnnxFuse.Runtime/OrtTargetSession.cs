using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ort;

namespace OnnxFuse.Runtime;

/// <summary>ONNX Runtime behind the runner API.</summary>
sealed class OrtTargetSession(OrtSession session) : ITargetSession
{
    public IReadOnlyList<ValueDescription> Inputs =>
    [
        .. session.Inputs.Select(i => new ValueDescription(i.Name, i.ElementType, i.Shape)),
        .. session.OverridableInitializers.Select(i => new ValueDescription(i.Name, i.ElementType, i.Shape) { HasDefault = true }),
    ];

    public IReadOnlyList<ValueDescription> Outputs => [.. session.Outputs.Select(o => new ValueDescription(o.Name, o.ElementType, o.Shape))];

    public IReadOnlyList<TensorData> Run(IReadOnlyDictionary<string, TensorData> inputs) => session.Run(inputs);

    public void Dispose() => session.Dispose();

    public static OrtSessionOptions OptionsFor(RunnerOptions options) => new()
    {
        GraphOptimizationLevel = options.OrtOptimization,
        IntraOpThreads = options.ThreadCount,
        InterOpThreads = 1,
    };
}
