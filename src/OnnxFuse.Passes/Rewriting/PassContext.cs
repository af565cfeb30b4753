using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Passes.Rewriting;

/// <summary>What a pass may ask about the model it rewrites, and the edits that touch the model rather than one graph.</summary>
public sealed class PassContext
{
    /// <summary>ONNX Runtime's contrib-op domain, which fused ops that have no standard form use.</summary>
    public const string MicrosoftDomain = "com.microsoft";

    internal PassContext(Model model, OptimizerOptions options)
    {
        Model = model;
        Options = options;
    }

    public Model Model { get; }

    public OptimizerOptions Options { get; }

    /// <summary>The model's default-domain (ai.onnx) opset version.</summary>
    public long Opset => Model.OpsetImports.Default;

    /// <summary>False when only standard ONNX ops may be emitted (<see cref="OptimizerOptions.StandardOnly"/>).</summary>
    public bool AllowsMicrosoftOps => !Options.StandardOnly;

    /// <summary>Evaluates nodes whose inputs are all constant; null when none was given (no constant folding).</summary>
    public IConstantEvaluator? Evaluator => Options.ConstantEvaluator;

    /// <summary>Adds a node of ONNX Runtime's contrib domain, importing the domain when the model does not yet.</summary>
    public Node AddMicrosoftNode(Graph graph, string opType, IEnumerable<Value?> inputs, IEnumerable<string?> outputNames,
        IEnumerable<Attr>? attributes = null, string? name = null, Node? before = null)
    {
        if (!AllowsMicrosoftOps)
            throw new InvalidOperationException($"{opType} is a com.microsoft op, but only standard ops may be emitted");
        if (!Model.OpsetImports.Contains(MicrosoftDomain))
            Model.OpsetImports[MicrosoftDomain] = 1;
        return graph.AddNode(opType, inputs, outputNames, attributes, name ?? graph.UniqueNodeName(opType), MicrosoftDomain, before);
    }

    /// <summary>Adds an initializer to <paramref name="graph"/> under a fresh name based on <paramref name="hint"/>.</summary>
    public static Value AddConstant(Graph graph, string hint, TensorData data) =>
        graph.AddInitializer(graph.UniqueValueName(hint), data);
}
