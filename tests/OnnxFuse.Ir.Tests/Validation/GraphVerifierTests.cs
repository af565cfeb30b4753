using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Ir.Validation;

namespace OnnxFuse.Ir.Tests.Validation;

public sealed class GraphVerifierTests
{
    [Fact]
    public void A_valid_model_with_subgraphs_has_no_problems()
    {
        var (b, _) = IfModel();

        var problems = GraphVerifier.Validate(b.Build(verify: false));

        Assert.Empty(problems);
    }

    [Fact]
    public void An_input_that_nothing_defines_is_reported_with_its_node()
    {
        var b = new GraphBuilder();
        var ghost = b.Graph.Declare("ghost", null);
        b.Output(b.AddNode("Relu", [ghost], name: "reader").Output(0));

        var problem = Assert.Single(GraphVerifier.Validate(b.Build(verify: false)));

        AssertNames(problem, "graph 'main'", "'reader' (Relu)", "'ghost'");
        Assert.Contains("never defined", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_from_another_branch_is_reported_as_not_in_scope()
    {
        var (b, branches) = IfModel();
        var thenValue = branches.Then.Nodes[0].Output(0);
        b.Graph.AddNode("Neg", [thenValue], ["stolen"], name: "thief");

        var problems = GraphVerifier.Validate(b.Build(verify: false));

        AssertNames(Assert.Single(problems), "'thief' (Neg)", $"'{thenValue.Name}'", "not declared");
    }

    [Fact]
    public void A_subgraph_value_that_shadows_an_outer_name_is_reported()
    {
        var (b, branches) = IfModel();
        branches.Else.AddNode("Abs", [b.Graph.FindDeclared("x")], ["cond"], name: "shadowing");

        var problem = Assert.Single(GraphVerifier.Validate(b.Build(verify: false)));

        AssertNames(problem, "graph 'main/else'", "'cond'", "shadows");
    }

    [Fact]
    public void A_cycle_is_reported_naming_its_nodes()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var first = b.AddNode("Relu", [x], name: "first");
        var second = b.AddNode("Neg", [first.Output(0)], name: "second");
        first.SetInput(0, second.Output(0));
        b.Output(second.Output(0));

        var problem = Assert.Single(GraphVerifier.Validate(b.Build(verify: false)));

        AssertNames(problem, "cycle", "'first' (Relu)", "'second' (Neg)");
    }

    [Fact]
    public void Nodes_out_of_topological_order_are_reported_unless_the_option_is_off()
    {
        var graph = new Graph("main");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, Shape.Of(4)));
        var producer = graph.AddNode("Relu", [x], ["r"], name: "producer");
        graph.Outputs.Add(graph.AddNode("Neg", [producer.Output(0)], ["y"], name: "reader", before: producer).Output(0));
        var model = new Model(graph);
        model.OpsetImports[""] = 17;

        var strict = GraphVerifier.Validate(model);
        var relaxed = GraphVerifier.Validate(model, new GraphVerifierOptions { RequireTopologicalOrder = false });

        AssertNames(Assert.Single(strict), "'reader' (Neg)", "'r'", "'producer' (Relu)", "topological order");
        Assert.Empty(relaxed);
    }

    [Fact]
    public void A_domain_without_an_opset_import_is_reported()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        b.Output(b.AddNode("FastGelu", [x], domain: "com.microsoft", name: "gelu").Output(0));
        var model = b.Build();
        model.OpsetImports["com.microsoft"] = null;

        var problem = Assert.Single(GraphVerifier.Validate(model));

        AssertNames(problem, "'gelu' (com.microsoft.FastGelu)", "'com.microsoft'", "opset import");
    }

    [Fact]
    public void A_graph_output_with_no_producer_is_reported()
    {
        var b = new GraphBuilder();
        b.Input("x", ElementType.Float, 4);
        b.Output(b.Graph.Declare("orphan", null));

        var problem = Assert.Single(GraphVerifier.Validate(b.Build(verify: false)));

        AssertNames(problem, "graph 'main'", "graph output 'orphan'", "no producer");
    }

    [Fact]
    public void An_initializer_whose_data_disagrees_with_its_declared_type_is_reported()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 2);
        var w = b.Initializer("w", TensorData.Create<float>([2], [1f, 2f]));
        w.Type = new TensorType(ElementType.Int64, Shape.Of(3));
        b.Output(b.Node("Add", [x, w]));

        var problems = GraphVerifier.Validate(b.Build(verify: false));

        Assert.Contains(problems, p => p.Contains("initializer 'w' holds float32 data but is declared int64", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("initializer 'w' holds data of shape [2] but is declared [3]", StringComparison.Ordinal));
    }

    [Fact]
    public void Elementwise_inputs_and_outputs_with_different_element_types_are_reported()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 2);
        var n = b.Input("n", ElementType.Int64, 2);
        var sum = b.AddNode("Add", [x, n], name: "sum").Output(0);
        sum.Type = new TensorType(ElementType.Float, Shape.Of(2));
        b.Output(sum);

        var problem = Assert.Single(GraphVerifier.Validate(b.Build(verify: false)));

        AssertNames(problem, "'sum' (Add)", "'n' is int64", "'x' is float32");
    }

    [Fact]
    public void An_if_without_an_else_branch_is_reported()
    {
        var (b, branches) = IfModel();
        var ifNode = b.Graph.Nodes.Single(n => n.OpType == "If");
        ifNode.RemoveAttr("else_branch");

        var problem = Assert.Single(GraphVerifier.Validate(b.Build(verify: false)));

        AssertNames(problem, $"{ifNode.Describe()}", "'else_branch'", "missing");
        Assert.NotNull(branches.Else);
    }

    [Fact]
    public void If_branches_with_different_output_counts_are_reported()
    {
        var (b, branches) = IfModel();
        branches.Else.Outputs.Add(b.Graph.FindDeclared("x")!);

        var problems = GraphVerifier.Validate(b.Build(verify: false));

        Assert.Contains(problems, p => p.Contains("then_branch has 1 outputs but else_branch has 2", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("branch 'else' has 2 outputs but the node has 1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_loop_body_with_the_wrong_number_of_inputs_and_outputs_is_reported()
    {
        var b = new GraphBuilder();
        var count = b.Input("count", ElementType.Int64);
        var keepGoing = b.Input("keep_going", ElementType.Bool);
        var start = b.Input("start", ElementType.Float, 4);
        var body = b.Subgraph("body");
        body.Input("iteration", ElementType.Int64);
        var condition = body.Input("condition", ElementType.Bool);
        body.Output(condition);
        var loop = b.AddNode("Loop", [count, keepGoing, start], attributes: [Attr.Graph("body", body.Graph)], name: "loop");
        b.Output(loop.Output(0));

        var problems = GraphVerifier.Validate(b.Build(verify: false));

        Assert.Equal(2, problems.Count);
        AssertNames(problems[0], "'loop' (Loop)", "body 'body' has 2 inputs but needs 2 + 1");
        AssertNames(problems[1], "'loop' (Loop)", "body 'body' has 1 outputs but needs 1 + 1");
    }

    [Fact]
    public void Empty_graph_names_and_nodes_listed_in_the_wrong_graph_are_reported()
    {
        var (b, branches) = IfModel();
        var model = b.Build(verify: false);
        branches.Then.Name = "";
        var stray = branches.Else.Nodes[0];
        stray.Graph = model.Graph;

        var problems = GraphVerifier.Validate(model);

        Assert.Contains(problems, p => p.Contains("graph 'main/': the graph has an empty name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains($"graph 'main/else', node {stray.Describe()}: the node is listed here but belongs to graph 'main'", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_throws_with_every_problem_listed()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        b.AddNode("Relu", [b.Graph.Declare("ghost", null)], name: "reader");
        b.AddNode("Custom", [x], domain: "my.domain", name: "custom");
        b.Output(b.Graph.Declare("orphan", null));
        var model = b.Build(verify: false);
        model.OpsetImports["my.domain"] = null;

        var error = Assert.Throws<GraphValidationException>(() => GraphVerifier.Check(model));

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains("(and 2 more problems)", error.Message, StringComparison.Ordinal);
    }

    static (GraphBuilder Builder, (Graph Then, Graph Else) Branches) IfModel()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var cond = b.Input("cond", ElementType.Bool);
        var thenBranch = b.Subgraph("then");
        thenBranch.Output(thenBranch.Node("Relu", [x]));
        var elseBranch = b.Subgraph("else");
        elseBranch.Output(elseBranch.Node("Neg", [x]));
        b.Output(b.AddNode("If", [cond], attributes: [Attr.Graph("then_branch", thenBranch.Graph), Attr.Graph("else_branch", elseBranch.Graph)], name: "branch").Output(0));
        return (b, (thenBranch.Graph, elseBranch.Graph));
    }

    static void AssertNames(string problem, params string[] fragments)
    {
        foreach (var fragment in fragments)
            Assert.Contains(fragment, problem, StringComparison.Ordinal);
    }
}
