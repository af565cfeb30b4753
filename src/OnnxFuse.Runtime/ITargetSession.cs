using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Runtime;

/// <summary>One loaded model on one target; <see cref="ModelRunner"/> adds the named-input bookkeeping.</summary>
interface ITargetSession : IDisposable
{
    IReadOnlyList<ValueDescription> Inputs { get; }

    IReadOnlyList<ValueDescription> Outputs { get; }

    /// <summary>Runs with every input given; returns the outputs in model order.</summary>
    IReadOnlyList<TensorData> Run(IReadOnlyDictionary<string, TensorData> inputs);
}
