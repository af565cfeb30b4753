using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Cleanup;

namespace OnnxFuse.Passes.Tests.Cleanup;

/// <summary>Hoisting moves no arithmetic, so outputs must be bit-identical (rtol = atol = 0).</summary>
public sealed class ConstantHoistingTests
{
    [Fact]
    public void Turns_a_constant_node_into_an_initializer_of_the_same_name()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2, 3);
        var c = b.Constant(TensorData.Create<float>([3], [1f, -2f, 0.5f]));
        b.Output(b.Node("Add", [x, c]), "y");
        var original = b.Build();

        var (hoisted, report) = PassTester.Run(original, new ConstantHoisting());

        Assert.Single(report.Applied);
        Assert.Equal(["Add"], PassTester.OpTypes(hoisted));
        var initializer = Assert.Single(hoisted.Graph.Initializers);
        Assert.Equal(c.Name, initializer.Name);
        Assert.Same(initializer, hoisted.Graph.Nodes[0].Input(1));
        PassTester.AssertSameOutputs(original, hoisted, rtol: 0, atol: 0);
    }

    public static TheoryData<string> ScalarAndListForms => ["value_float", "value_floats", "value_int", "value_ints"];

    [Theory, MemberData(nameof(ScalarAndListForms))]
    public void Turns_the_scalar_and_list_forms_into_float32_and_int64_tensors(string form)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2, 3);
        var attr = form switch
        {
            "value_float" => Attr.Float(form, 1.5f),
            "value_floats" => Attr.Floats(form, [1f, 2f, 3f]),
            "value_int" => Attr.Int(form, 1),
            _ => Attr.Ints(form, [3, 2]),
        };
        var c = b.Node("Constant", [], attr);
        var y = form switch
        {
            "value_float" or "value_floats" => b.Node("Add", [x, c]),
            "value_int" => b.Node("Gather", [x, c], Attr.Int("axis", 1)),
            _ => b.Node("Reshape", [x, c]),
        };
        b.Output(y, "y");
        var original = b.Build();

        var (hoisted, report) = PassTester.Run(original, new ConstantHoisting());

        Assert.Single(report.Applied);
        var data = Assert.Single(hoisted.Graph.Initializers).Initializer!;
        Assert.Equal(form.StartsWith("value_float", StringComparison.Ordinal) ? ElementType.Float : ElementType.Int64, data.ElementType);
        Assert.Equal(form.EndsWith('s') ? 1 : 0, data.Rank);
        PassTester.AssertSameOutputs(original, hoisted, rtol: 0, atol: 0);
    }

    [Fact]
    public void Hoists_constants_inside_if_branches_into_the_branch()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 4);
        var condition = b.Input("condition", ElementType.Bool);
        var then = b.Subgraph("then");
        then.Output(then.Node("Mul", [x, then.Constant(TensorData.Create<float>([4], [1f, 2f, 3f, 4f]))]), "then_out");
        var otherwise = b.Subgraph("else");
        otherwise.Output(otherwise.Node("Sub", [x, otherwise.Node("Constant", [], Attr.Float("value_float", 0.25f))]), "else_out");
        b.Output(b.Node("If", [condition], Attr.Graph("then_branch", then.Graph), Attr.Graph("else_branch", otherwise.Graph)), "y");
        var original = b.Build();

        var (hoisted, report) = PassTester.Run(original, new ConstantHoisting());

        Assert.Equal(2, report.Applied.Count);
        var branches = hoisted.Graph.Nodes.Single().Subgraphs.ToList();
        Assert.All(branches, branch => Assert.Single(branch.Initializers));
        Assert.All(branches, branch => Assert.DoesNotContain(branch.Nodes, n => n.OpType == "Constant"));
        foreach (var flag in new[] { true, false })
        {
            var inputs = new Dictionary<string, TensorData>
            {
                ["x"] = TensorData.Create<float>([4], [0.5f, -1f, 2f, 3f]),
                ["condition"] = TensorData.Scalar(flag),
            };
            PassTester.AssertSameOutputs(original, hoisted, rtol: 0, atol: 0, inputs: inputs);
        }
    }

    [Fact]
    public void Keeps_a_constant_graph_output_under_its_name()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 3);
        b.Output(b.Node("Relu", [x]), "y");
        b.Output(b.Constant(TensorData.Create<float>([2], [7f, 8f])), "table");
        var original = b.Build();

        var (hoisted, report) = PassTester.Run(original, new ConstantHoisting());

        Assert.Single(report.Applied);
        Assert.Equal(["Relu"], PassTester.OpTypes(hoisted));
        Assert.Equal(["y", "table"], hoisted.Graph.Outputs.Select(o => o.Name));
        Assert.True(hoisted.Graph.Outputs[1].IsInitializer);
        PassTester.AssertSameOutputs(original, hoisted, rtol: 0, atol: 0);
    }

    [Fact]
    public void Leaves_string_attribute_forms_as_nodes()
    {
        var b = new GraphBuilder(opset: 13);
        b.Output(b.Node("Constant", [], Attr.String("value_string", "label")), "name");
        var original = b.Build();

        var (hoisted, report) = PassTester.Run(original, new ConstantHoisting());

        Assert.Empty(report.Applied);
        Assert.Equal(["Constant"], PassTester.OpTypes(hoisted));
    }
}
