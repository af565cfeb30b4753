using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Inference;
using OnnxFuse.Ir.Opsets;

namespace OnnxFuse.Compose;

/// <summary>
/// One model made ready to fuse: a private copy, typed by shape inference, raised to the fusion's opset, with
/// Constant weights hoisted, memory measured, and every name prefixed. The original interface names are remembered.
/// </summary>
sealed class PreparedModel
{
    PreparedModel(FusionInput source, int index, string prefix, Model model)
    {
        Source = source;
        Index = index;
        Prefix = prefix;
        Model = model;
        OriginalOpset = source.Model.OpsetImports.Default;
        OriginalInputNames = [.. model.Graph.Inputs.Select(v => v.Name)];
        OriginalOutputNames = [.. model.Graph.Outputs.Select(v => v.Name)];
    }

    public FusionInput Source { get; }

    public string Name => Source.Name;

    public int Index { get; }

    public string Prefix { get; }

    public Model Model { get; }

    public Graph Graph => Model.Graph;

    public long OriginalOpset { get; }

    public IReadOnlyList<string> OriginalInputNames { get; }

    public IReadOnlyList<string> OriginalOutputNames { get; }

    public long WeightBytes { get; private set; }

    public long PeakActivationBytes { get; private set; }

    /// <summary>Fused names of the inputs and outputs, in order; set by the naming step.</summary>
    public List<string> FusedInputNames { get; } = [];

    public List<string> FusedOutputNames { get; } = [];

    public static PreparedModel Create(FusionInput source, int index, string prefix, long opset, bool prefixSymbolicDims)
    {
        var model = source.Model.Clone();
        ShapeInference.Run(model);
        var prepared = new PreparedModel(source, index, prefix, model);
        OpsetUpgrade.Run(model, opset, source.Name);
        ConstantHoisting.Run(model.Graph);
        prepared.WeightBytes = MemoryEstimate.WeightBytes(model.Graph);
        prepared.PeakActivationBytes = MemoryEstimate.PeakActivationBytes(model.Graph);
        NamePrefixer.Prefix(model.Graph, prefix, new NamePrefixOptions { SymbolicDims = prefixSymbolicDims });
        return prepared;
    }

    /// <summary>
    /// Makes every graph output a distinct node output of the main graph (inserting an Identity for an output that is
    /// an input, a weight or a repeat), then gives the outputs <paramref name="names"/>.
    /// </summary>
    public void NameOutputs(IReadOnlyList<string> names)
    {
        var graph = Graph;
        var seen = new HashSet<Value>();
        for (var i = 0; i < graph.Outputs.Count; i++)
        {
            var output = graph.Outputs[i];
            if (output.Producer is not null && ReferenceEquals(output.Producer.Graph, graph) && seen.Add(output))
                continue;
            var name = graph.UniqueValueName($"{output.Name}_identity");
            var identity = graph.AddNode("Identity", [output], [name], name: graph.UniqueNodeName(name)).Output(0);
            identity.Type = output.Type;
            graph.Outputs[i] = identity;
            seen.Add(identity);
        }
        // Two steps, so that one output's new name can never meet another output's old one.
        foreach (var output in graph.Outputs)
            output.Name = graph.UniqueValueName($"{Prefix}onnxfuse_output");
        for (var i = 0; i < graph.Outputs.Count; i++)
            graph.Outputs[i].Name = names[i];
    }
}
