using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Compose;

/// <summary>
/// Switched fusion: an int64 scalar input picks the one model that runs.
/// <code>
/// out = If(index == 0, model 0, If(index == 1, model 1, … If(index == N-1, model N-1, all empty)))
/// </code>
/// Every branch yields all models' outputs: its own model's real outputs and, for every other model, an empty
/// tensor of the same element type and rank with every dim 0. An index outside 0..N-1 makes every output empty.
/// Model nodes live in their branch; weights stay in the main graph (stored once, captured by the branches);
/// every input that not all models share gets a default (zeros, symbolic dims as 1) so a caller feeds only
/// <c>index</c> and the chosen model's inputs.
/// </summary>
static class SwitchedComposer
{
    public static Graph Compose(IReadOnlyList<PreparedModel> models, OnnxType? sharedInputType, string indexName, NameAllocator names)
    {
        var graph = new Graph("onnxfuse_switched");
        var pool = new WeightPool(graph);
        var index = graph.AddInput(indexName, new TensorType(ElementType.Int64, Shape.Scalar));
        Value? shared = sharedInputType is null ? null : graph.AddInput(models[0].FusedInputNames[0], sharedInputType);

        var maps = models.Select(_ => new Dictionary<Value, Value>()).ToList();
        foreach (var model in models)
        {
            for (var i = 0; i < model.Graph.Inputs.Count; i++)
            {
                var source = model.Graph.Inputs[i];
                if (shared is not null)
                {
                    maps[model.Index][source] = shared;
                    continue;
                }
                var input = graph.AddInput(model.FusedInputNames[i]);
                GraphTransplant.CopyValueInfo(source, input);
                maps[model.Index][source] = input;
                if (!source.IsInitializer)
                    graph.AddInitializer(input.Name, DefaultFor(model, source, i));
            }
        }

        var conditions = models.Select(m => Condition(graph, index, m.Index, names)).ToList();
        var slots = models.SelectMany(m => m.Graph.Outputs.Select(o => (Model: m, Output: o))).ToList();
        var outputTypes = slots.Select(s => DeclaredType(s.Output)).ToList();

        var scope = graph;
        var outputNames = models.SelectMany(m => m.FusedOutputNames).ToList();
        foreach (var model in models)
        {
            var branch = new Graph(names.Claim($"{model.Prefix}branch"));
            ParallelComposer.AddWeights(model.Graph, graph, pool, maps[model.Index]);
            GraphTransplant.CopyNodes(model.Graph, branch, maps[model.Index]);
            foreach (var (owner, output) in slots)
                branch.Outputs.Add(ReferenceEquals(owner, model) ? maps[model.Index][output] : Empty(branch, output, names));

            var otherwise = new Graph(names.Claim($"onnxfuse_not_{model.Index}"));
            var ifNode = scope.AddNode("If", [conditions[model.Index]], outputNames,
                [Attr.Graph("then_branch", branch), Attr.Graph("else_branch", otherwise)], names.Claim($"onnxfuse_switch_{model.Index}"));
            for (var i = 0; i < outputNames.Count; i++)
                ifNode.Output(i).Type = outputTypes[i];
            if (ReferenceEquals(scope, graph))
                graph.Outputs.AddRange(ifNode.Outputs.OfType<Value>());
            else
                scope.Outputs.AddRange(ifNode.Outputs.OfType<Value>());
            scope = otherwise;
            outputNames = [.. outputNames.Select(n => names.Claim($"{n}_not_{model.Index}"))];
        }
        foreach (var (_, output) in slots)
            scope.Outputs.Add(Empty(scope, output, names));
        return graph;
    }

    static Value Condition(Graph graph, Value index, int modelIndex, NameAllocator names)
    {
        var constant = names.Claim($"onnxfuse_index_{modelIndex}");
        var value = graph.AddNode("Constant", [], [constant], [Attr.Tensor("value", TensorData.Scalar((long)modelIndex))], constant).Output(0);
        value.Type = new TensorType(ElementType.Int64, Shape.Scalar);
        var condition = names.Claim($"onnxfuse_is_{modelIndex}");
        var result = graph.AddNode("Equal", [index, value], [condition], name: condition).Output(0);
        result.Type = new TensorType(ElementType.Bool, Shape.Scalar);
        return result;
    }

    /// <summary>A fused output's type: the element type, and the rank with unknown dims (branches differ in size).</summary>
    static TensorType? DeclaredType(Value output) => output.Type is TensorType tensor
        ? new TensorType(tensor.ElementType, tensor.Shape is { Rank: > 0 } shape ? new Shape(shape.Select(_ => Dim.Unknown)) : null)
        : null;

    /// <summary>An empty tensor standing for <paramref name="output"/> in a branch where its model does not run.</summary>
    static Value Empty(Graph branch, Value output, NameAllocator names)
    {
        var tensor = output.Type as TensorType ?? throw new FusionException(
            $"switched fusion needs typed tensor outputs, but output '{output.Name}' has type {output.Type?.ToString() ?? "unknown"}");
        long[] dims = tensor.Shape is { Rank: > 0 } shape ? new long[shape.Rank] : [0];
        var data = tensor.ElementType == ElementType.String
            ? TensorData.FromStrings(dims, Array.Empty<byte[]>())
            : TensorData.FromBytes(tensor.ElementType, dims, ReadOnlyMemory<byte>.Empty);
        var name = names.Claim($"{branch.Name}_empty");
        var value = branch.AddNode("Constant", [], [name], [Attr.Tensor("value", data)], name).Output(0);
        value.Type = new TensorType(tensor.ElementType, Shape.Of(dims));
        return value;
    }

    /// <summary>Zeros of the input's shape, symbolic dims taken as 1: a default a caller may override.</summary>
    static TensorData DefaultFor(PreparedModel model, Value input, int position)
    {
        if (input.Type is not TensorType { Shape: { } shape } tensor || tensor.ElementType == ElementType.String)
            throw new FusionException(
                $"model '{model.Name}' input '{model.OriginalInputNames[position]}' has type {input.Type?.ToString() ?? "unknown"}; switched fusion needs a tensor of known rank to give it a default");
        var dims = shape.Select(d => d.Value ?? 1).ToArray();
        var count = dims.Aggregate(1L, (n, d) => n * d);
        return TensorData.FromBytes(tensor.ElementType, dims, new byte[tensor.ElementType.ByteCount(count)]);
    }
}
