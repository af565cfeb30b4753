using OnnxFuse.Engine;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Runtime.Optimization;

/// <summary>
/// Constant folding's evaluator on the managed engine: the node is copied into a one-node model (its inputs as
/// initializers, its attributes, the given default-domain opset) and run once on one thread. Returns null, so the
/// node stays, when the engine cannot run it: an operator or attribute combination it does not support, inputs it
/// rejects (an error the model would meet at run time anyway, or never, in a branch that is not taken), a node of
/// another domain (whose opset is not known here) or one holding subgraphs.
/// </summary>
public sealed class EngineConstantEvaluator : IConstantEvaluator
{
    public static EngineConstantEvaluator Instance { get; } = new();

    static readonly EngineOptions s_singleThread = new() { ThreadCount = 1 };

    public IReadOnlyList<TensorData?>? TryEvaluate(Node node, IReadOnlyList<TensorData?> inputs, long opset)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(inputs);
        if (!node.IsDefaultDomain || node.Subgraphs.Any() || inputs.Count != node.Inputs.Count)
            return null;
        var model = OneNodeModel(node, inputs, opset);
        try
        {
            using var session = InferenceSession.Create(model, s_singleThread);
            var computed = session.Run(new Dictionary<string, TensorData>());
            var outputs = new TensorData?[node.Outputs.Count];
            var next = 0;
            for (var i = 0; i < outputs.Length; i++)
                if (node.Outputs[i] is not null)
                    outputs[i] = computed[next++].WithName(null);
            return outputs;
        }
        catch (OnnxFuseException)
        {
            return null;
        }
    }

    /// <summary>inputs → node → outputs: every present input an initializer, every present output a graph output, in order.</summary>
    static Model OneNodeModel(Node node, IReadOnlyList<TensorData?> inputs, long opset)
    {
        var graph = new Graph("constant_folding");
        var model = new Model(graph) { ProducerName = "OnnxFuse.EngineConstantEvaluator" };
        model.OpsetImports[""] = opset;
        var inputValues = inputs.Select((data, i) => data is null ? null : graph.AddInitializer($"input_{i}", data)).ToList();
        var outputNames = node.Outputs.Select((output, i) => output is null ? null : $"output_{i}").ToList();
        var copy = graph.AddNode(node.OpType, inputValues, outputNames, node.Attributes, node.Name);
        graph.Outputs.AddRange(copy.Outputs.OfType<Value>());
        return model;
    }
}
