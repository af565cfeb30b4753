using System.Text.Json;
using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Comparison;
using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Cleanup;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Tests.Rewriting;

public sealed class PassManagerTests
{
    /// <summary>
    /// x[3], cond → r = Relu(x) → If(cond): then Neg(Identity(r)), else Sigmoid(Identity(r)) → y; both branches
    /// read r from the main graph.
    /// </summary>
    static Model IfWithIdentitiesInBranches()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 3);
        var cond = b.Input("cond", ElementType.Bool);
        var r = b.Node("Relu", [x]);
        var then = b.Subgraph("then");
        then.Output(then.Node("Neg", [then.Node("Identity", [r])]));
        var otherwise = b.Subgraph("else");
        otherwise.Output(otherwise.Node("Sigmoid", [otherwise.Node("Identity", [r])]));
        var branch = b.AddNode("If", [cond], attributes: [Attr.Graph("then_branch", then.Graph), Attr.Graph("else_branch", otherwise.Graph)], name: "branch");
        b.Output(branch.Output(0), "y");
        return b.Build();
    }

    /// <summary>x[1,2,5,5] → Conv → Identity → BatchNormalization → y.</summary>
    static Model ConvIdentityBatchNorm()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 1, 2, 5, 5);
        var conv = b.Node("Conv", [x, b.RandomInitializer("w", 1, 3, 2, 3, 3)]);
        var through = b.Node("Identity", [conv]);
        var stats = new[] { "scale", "bias", "mean" }.Select((name, i) => b.RandomInitializer(name, 2 + i, 3)).ToList();
        var variance = b.Initializer("var", TensorData.Create<float>([3], [0.5f, 1f, 2f]));
        b.Output(b.Node("BatchNormalization", [through, .. stats, variance]), "y");
        return b.Build();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rewrites_inside_if_branches_and_keeps_both_branches_working(bool condition)
    {
        var original = IfWithIdentitiesInBranches();

        var (optimized, report) = PassTester.Run(original, new IdentityElimination());

        Assert.Equal(["main/branch.then_branch", "main/branch.else_branch"], report.Applied.Select(r => r.GraphPath));
        var branches = optimized.Graph.Nodes.Single(n => n.OpType == "If").Subgraphs.ToList();
        Assert.All(branches, branch => Assert.DoesNotContain(branch.Nodes, n => n.OpType == "Identity"));
        Assert.Same(optimized.Graph.Nodes.Single(n => n.OpType == "Relu").Output(0), branches[0].Nodes.Single().Input(0));
        var inputs = new Dictionary<string, TensorData>
        {
            ["x"] = TensorData.Create<float>([3], [-1f, 0.5f, 2f]),
            ["cond"] = TensorData.FromBytes(ElementType.Bool, [], new[] { condition ? (byte)1 : (byte)0 }),
        };
        PassTester.AssertSameOutputs(original, optimized, rtol: 0, atol: 0, inputs: inputs);
    }

    [Fact]
    public void Runs_rounds_until_no_pass_matches()
    {
        var original = ConvIdentityBatchNorm();

        // conv-batchnorm runs first but sees the Identity; it matches only in the round after the Identity goes.
        var (optimized, report) = PassTester.Run(original, new ConvBatchNormFusion(), new IdentityElimination());

        Assert.Equal(["identity-elimination", "conv-batchnorm"], report.Applied.Select(r => r.Pattern));
        Assert.Equal(["Conv"], PassTester.OpTypes(optimized));
        Assert.Equal((3, 1), (report.NodesBefore, report.NodesAfter));
        PassTester.AssertSameOutputs(original, optimized, seed: 5);
    }

    [Fact]
    public void Analyze_lists_the_opportunities_and_leaves_the_model_unchanged()
    {
        var model = ConvIdentityBatchNorm();
        var untouched = model.Clone();

        var found = new PassManager(new IdentityElimination(), new ConvBatchNormFusion()).Analyze(model);

        // Matching alone: conv-batchnorm is blocked by the Identity, which only a rewrite would remove.
        var opportunity = Assert.Single(found);
        Assert.Equal(("identity-elimination", "main", 1), (opportunity.Pattern, opportunity.GraphPath, opportunity.NodesSaved));
        Assert.Equal("Identity", Assert.Single(opportunity.Nodes).OpType);
        Assert.Null(ModelDiff.FirstDifference(untouched, model));
    }

    [Fact]
    public void A_pass_that_breaks_the_graph_is_caught_and_named()
    {
        var model = ConvIdentityBatchNorm();

        var error = Assert.Throws<InvalidOperationException>(() => new PassManager(new UnimportedDomainRule()).Run(model));

        Assert.Contains("pass 'unimported-domain'", error.Message, StringComparison.Ordinal);
        Assert.Contains("test.unimported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_pattern_names_are_refused_with_the_known_names()
    {
        var error = Assert.Throws<PassSelectionException>(() => Optimizer.Select(new OptimizerOptions { Patterns = ["nope"] }));

        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.All(Optimizer.Passes, pass => Assert.Contains(pass.Name, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void The_json_report_names_the_replaced_and_created_nodes()
    {
        var b = new GraphBuilder(opset: 13);
        b.Output(b.Node("Relu", [b.Input("x", ElementType.Float, 4)]), "y");
        var model = b.Build();

        var report = new PassManager(new ReluToClipRule()).Run(model);

        using var json = JsonDocument.Parse(report.ToJson());
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("counts").GetProperty("relu-to-clip").GetInt32());
        var fusion = Assert.Single(root.GetProperty("fusions").EnumerateArray().ToList());
        Assert.Equal("main", fusion.GetProperty("graph").GetString());
        Assert.Equal([("Relu_0", "Relu")], Nodes(fusion.GetProperty("replaced")));
        Assert.Equal([("Relu_0", "Clip")], Nodes(fusion.GetProperty("created")));
    }

    static List<(string?, string?)> Nodes(JsonElement list) =>
        [.. list.EnumerateArray().Select(n => (n.GetProperty("name").GetString(), n.GetProperty("op_type").GetString()))];

    /// <summary>Relu(x) ⇒ Clip(x, 0): a valid rewrite that puts a new node in the old one's place.</summary>
    sealed class ReluToClipRule : RewriteRule<Node>
    {
        public override string Name => "relu-to-clip";

        public override string Summary => "test rule";

        public override OptimizationLevel Level => OptimizationLevel.Basic;

        public override string? RootOpType => "Relu";

        public override Node? TryMatch(Node root, PassContext context) => root;

        public override void Rewrite(Node match, PassContext context) =>
            GraphRewriter.ReplaceNode(match, "Clip", [match.Input(0), PassContext.AddConstant(match.Graph, "zero", TensorData.Scalar(0f))]);

        public override IReadOnlyList<Node> MatchedNodes(Node match) => [match];
    }

    /// <summary>A deliberately broken rule: it moves Identity nodes into a domain the model does not import.</summary>
    sealed class UnimportedDomainRule : RewriteRule<Node>
    {
        public override string Name => "unimported-domain";

        public override string Summary => "test rule that breaks the graph";

        public override OptimizationLevel Level => OptimizationLevel.Basic;

        public override string? RootOpType => "Identity";

        public override Node? TryMatch(Node root, PassContext context) => root;

        public override void Rewrite(Node match, PassContext context) =>
            GraphRewriter.ReplaceNode(match, "Identity", [match.Input(0)], domain: "test.unimported");

        public override IReadOnlyList<Node> MatchedNodes(Node match) => [match];
    }
}
