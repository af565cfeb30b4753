using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Inference;
using OnnxFuse.Ir.Validation;

namespace OnnxFuse.Passes.Rewriting;

/// <summary>
/// Runs passes over a model, in the main graph and in every subgraph (If branches, Loop and Scan bodies), round
/// after round until no pass matches. After each rewrite it removes what the rewrite left unused and restores
/// topological order; after each pass that changed something it refreshes shapes and, by default, verifies the
/// whole model, so a pass that breaks the graph is caught at once and named.
/// </summary>
public sealed class PassManager
{
    readonly IReadOnlyList<Pass> _passes;
    readonly OptimizerOptions _options;

    public PassManager(params Pass[] passes) : this(passes, new OptimizerOptions()) { }

    public PassManager(IEnumerable<Pass> passes, OptimizerOptions options)
    {
        _passes = [.. passes];
        _options = options;
    }

    /// <summary>Rewrites <paramref name="model"/> in place and reports every rewrite made.</summary>
    public FusionReport Run(Model model)
    {
        var context = new PassContext(model, _options);
        var nodesBefore = model.Graph.AllNodes().Count();
        DeadCodeElimination.Run(model.Graph);
        ShapeInference.Run(model);
        var applied = new List<FusionRecord>();
        for (var round = 0; round < _options.MaxRounds; round++)
        {
            var changed = false;
            foreach (var pass in _passes)
            {
                var count = RunPass(pass, model, context, applied);
                if (count == 0)
                    continue;
                changed = true;
                ShapeInference.Run(model);
                if (_options.VerifyEachPass)
                    Verify(model, pass);
            }
            if (!changed)
                break;
        }
        return new FusionReport(applied, nodesBefore, model.Graph.AllNodes().Count());
    }

    /// <summary>Every place a pass matches in <paramref name="model"/>, by matching alone; the model is not changed.</summary>
    public IReadOnlyList<Opportunity> Analyze(Model model)
    {
        var copy = model.Clone();
        var context = new PassContext(copy, _options);
        ShapeInference.Run(copy);
        var found = new List<Opportunity>();
        foreach (var pass in _passes)
            foreach (var graph in copy.Graph.SelfAndDescendants())
                foreach (var node in graph.Nodes)
                    if (pass.CanRoot(node) && pass.FindMatch(node, context) is { } match)
                        found.Add(new Opportunity(pass.Name, GraphPath.Of(graph), [.. match.Nodes.Select(GraphPath.Describe)],
                            match.Nodes.Count - match.NodesCreated));
        return found;
    }

    static int RunPass(Pass pass, Model model, PassContext context, List<FusionRecord> applied)
    {
        var count = 0;
        foreach (var graph in model.Graph.SelfAndDescendants().ToList())
        {
            if (!GraphPath.IsAttached(graph, model.Graph))
                continue;
            var present = graph.Nodes.ToHashSet();
            foreach (var node in graph.Nodes.ToList())
            {
                if (!present.Contains(node) || !pass.CanRoot(node) || pass.FindMatch(node, context) is not { } match)
                    continue;
                // Matched nodes as they were (a rewrite may rename them), then what stands in their place:
                // nodes the rewrite added and matched nodes it kept and changed (a Conv with folded weights).
                var replaced = match.Nodes.Select(GraphPath.Describe).ToList();
                var before = graph.Nodes.ToHashSet();
                pass.Apply(match, context);
                DeadCodeElimination.Run(model.Graph);
                if (!Toposort.IsSorted(graph))
                    Toposort.Sort(graph);
                present = graph.Nodes.ToHashSet();
                var created = graph.Nodes.Where(n => !before.Contains(n) || match.Nodes.Contains(n)).Select(GraphPath.Describe).ToList();
                applied.Add(new FusionRecord(pass.Name, GraphPath.Of(graph), replaced, created));
                count++;
            }
        }
        return count;
    }

    static void Verify(Model model, Pass pass)
    {
        var problems = GraphVerifier.Validate(model);
        if (problems.Count > 0)
            throw new InvalidOperationException($"pass '{pass.Name}' left an invalid graph: {string.Join("; ", problems.Take(5))}");
    }
}
