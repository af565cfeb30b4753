using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Compose;

/// <summary>
/// Parallel fusion: every model's nodes side by side in one graph. Inputs are model 0's, then model 1's…
/// (or the one shared input), outputs likewise; weights are stored once in the main graph.
/// </summary>
static class ParallelComposer
{
    public static Graph Compose(IReadOnlyList<PreparedModel> models, OnnxType? sharedInputType)
    {
        var graph = new Graph("onnxfuse_parallel");
        var pool = new WeightPool(graph);
        Value? shared = sharedInputType is null ? null : graph.AddInput(models[0].FusedInputNames[0], sharedInputType);
        foreach (var model in models)
        {
            var map = new Dictionary<Value, Value>();
            for (var i = 0; i < model.Graph.Inputs.Count; i++)
            {
                var source = model.Graph.Inputs[i];
                if (shared is null)
                {
                    var input = graph.AddInput(model.FusedInputNames[i]);
                    GraphTransplant.CopyValueInfo(source, input);
                    map[source] = input;
                }
                else
                {
                    map[source] = shared;
                }
            }
            AddWeights(model.Graph, graph, pool, map);
            GraphTransplant.CopyNodes(model.Graph, graph, map);
            foreach (var output in model.Graph.Outputs)
                graph.Outputs.Add(map[output]);
        }
        return graph;
    }

    /// <summary>Maps the model's initializers: input defaults stay defaults, weights go through the pool.</summary>
    public static void AddWeights(Graph source, Graph main, WeightPool pool, Dictionary<Value, Value> map)
    {
        foreach (var initializer in source.Initializers)
        {
            if (initializer.IsGraphInput)
            {
                var input = map[initializer];
                if (!input.IsInitializer && initializer.Initializer is { } defaults)
                    main.AddInitializer(input.Name, defaults);
                continue;
            }
            var value = initializer.Initializer is { } dense
                ? pool.Add(initializer.Name, dense)
                : main.AddSparseInitializer(initializer.Name, initializer.SparseInitializer!);
            if (value.Type is null)
                GraphTransplant.CopyValueInfo(initializer, value);
            map[initializer] = value;
        }
    }
}
