using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine.Tests.Planning;

/// <summary>Model-local functions run by expansion; the oracle is the arithmetic written out by hand.</summary>
public sealed class FunctionInlinerTests
{
    const string Domain = "local.fn";

    /// <summary>
    /// LeakyScale(X; alpha) = LeakyRelu(X, alpha=@alpha) · 2 and Twice(X) = LeakyScale(X) + LeakyScale(X),
    /// main: y = Twice(x, alpha=0.5), w = LeakyScale(x) (alpha from the function's default, 0.1).
    /// </summary>
    static Model Functions()
    {
        var leaky = new Graph("LeakyScale");
        var x1 = leaky.AddInput("X");
        var relu = leaky.AddNode("LeakyRelu", [x1], ["r"], [Attr.Reference("alpha", AttrKind.Float, "alpha")]).Output(0);
        var two = leaky.AddNode("Constant", [], ["two"], [Attr.Tensor("value", TensorData.Scalar(2f))]).Output(0);
        leaky.Outputs.Add(leaky.AddNode("Mul", [relu, two], ["Y"]).Output(0));
        var twice = new Graph("Twice");
        var x2 = twice.AddInput("X");
        var a = twice.AddNode("LeakyScale", [x2], ["a"], [Attr.Reference("alpha", AttrKind.Float, "alpha")], domain: Domain).Output(0);
        var b = twice.AddNode("LeakyScale", [x2], ["b"], [Attr.Reference("alpha", AttrKind.Float, "alpha")], domain: Domain).Output(0);
        twice.Outputs.Add(twice.AddNode("Add", [a, b], ["Y"]).Output(0));

        var graph = new Graph("g");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, Shape.Of(4)));
        graph.Outputs.Add(graph.AddNode("Twice", [x], ["y"], [Attr.Float("alpha", 0.5f)], domain: Domain).Output(0));
        graph.Outputs.Add(graph.AddNode("LeakyScale", [x], ["w"], domain: Domain).Output(0));
        var model = new Model(graph);
        model.OpsetImports[""] = 17;
        model.OpsetImports[Domain] = 1;
        var leakyFunction = new FunctionDef(Domain, "LeakyScale", leaky);
        leakyFunction.AttributeDefaults.Add(Attr.Float("alpha", 0.1f));
        model.Functions.Add(leakyFunction);
        var twiceFunction = new FunctionDef(Domain, "Twice", twice);
        twiceFunction.AttributeNames.Add("alpha");
        model.Functions.Add(twiceFunction);
        return model;
    }

    [Fact]
    public void Calls_expand_with_attribute_references_and_nested_calls_resolved()
    {
        using var session = InferenceSession.Create(Functions());

        var outputs = session.Run(new Dictionary<string, TensorData> { ["x"] = NodeRunner.Floats([4], -2, -1, 1, 3) });

        Assert.Equal(["y", "w"], session.Outputs.Select(o => o.Name));
        Assert.Equal([-4f, -2f, 4f, 12f], outputs[0].ToArray<float>());
        Assert.Equal([-0.4f, -0.2f, 2f, 6f], outputs[1].ToArray<float>());
    }

    [Fact]
    public void A_recursive_function_is_a_clear_error()
    {
        var body = new Graph("Loop");
        var input = body.AddInput("X");
        body.Outputs.Add(body.AddNode("Loop", [input], ["Y"], domain: Domain).Output(0));
        var graph = new Graph("g");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, Shape.Of(1)));
        graph.Outputs.Add(graph.AddNode("Loop", [x], ["y"], domain: Domain).Output(0));
        var model = new Model(graph);
        model.OpsetImports[""] = 17;
        model.OpsetImports[Domain] = 1;
        model.Functions.Add(new FunctionDef(Domain, "Loop", body));

        var error = Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(model));

        Assert.Contains("recursive", error.Message, StringComparison.Ordinal);
    }
}
