using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Ir.Validation;
using OnnxFuse.Onnx;
using OnnxFuse.Runtime;
using static OnnxFuse.Compose.Tests.FusionHarness;

namespace OnnxFuse.Compose.Tests;

/// <summary>Model-local functions: identical ones stored once, same-named ones with different bodies renamed per model.</summary>
public sealed class FunctionMergeTests
{
    const string Domain = "local.fn";

    public static TheoryData<FusionMode, ExecutionTarget> Layouts => new()
    {
        { FusionMode.Parallel, ExecutionTarget.Managed },
        { FusionMode.Parallel, ExecutionTarget.OnnxRuntime },
        { FusionMode.Switched, ExecutionTarget.Managed },
        { FusionMode.Switched, ExecutionTarget.OnnxRuntime },
    };

    /// <summary>
    /// Functions Scale(X) = X · k and Outer(X) = Scale(X) + X (a call inside a function). The graph:
    /// y = Outer(x); z = If(sum(x) > 0) then Scale(x) else −x (a call inside a subgraph).
    /// Models built with different <paramref name="scale"/> define the same names with different bodies.
    /// </summary>
    static Model FunctionModel(float scale)
    {
        var scaleBody = new Graph("Scale");
        var input = scaleBody.AddInput("X");
        var k = scaleBody.AddNode("Constant", [], ["k"], [Attr.Tensor("value", TensorData.Scalar(scale))]).Output(0);
        scaleBody.Outputs.Add(scaleBody.AddNode("Mul", [input, k], ["Y"]).Output(0));
        var outerBody = new Graph("Outer");
        var outerInput = outerBody.AddInput("X");
        var scaled = outerBody.AddNode("Scale", [outerInput], ["S"], domain: Domain).Output(0);
        outerBody.Outputs.Add(outerBody.AddNode("Add", [scaled, outerInput], ["Y"]).Output(0));

        var graph = new Graph("g");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, Shape.Of(4)));
        var y = graph.AddNode("Outer", [x], ["y"], domain: Domain).Output(0);
        y.Type = new TensorType(ElementType.Float, Shape.Of(4));
        var total = graph.AddNode("ReduceSum", [x], ["total"], [Attr.Int("keepdims", 0)]).Output(0);
        var zero = graph.AddInitializer("zero", TensorData.Scalar(0f));
        var positive = graph.AddNode("Greater", [total, zero], ["positive"]).Output(0);
        var thenBranch = new Graph("then");
        thenBranch.Outputs.Add(thenBranch.AddNode("Scale", [x], ["then_z"], domain: Domain).Output(0));
        var elseBranch = new Graph("else");
        elseBranch.Outputs.Add(elseBranch.AddNode("Neg", [x], ["else_z"]).Output(0));
        var z = graph.AddNode("If", [positive], ["z"], [Attr.Graph("then_branch", thenBranch), Attr.Graph("else_branch", elseBranch)]).Output(0);
        z.Type = new TensorType(ElementType.Float, Shape.Of(4));
        graph.Outputs.Add(y);
        graph.Outputs.Add(z);

        var model = new Model(graph) { IrVersion = 8 };
        model.OpsetImports[""] = 13;
        model.OpsetImports[Domain] = 1;
        foreach (var body in new[] { scaleBody, outerBody })
        {
            var function = new FunctionDef(Domain, body.Name, body);
            function.OpsetImports[""] = 13;
            function.OpsetImports[Domain] = 1;
            model.Functions.Add(function);
        }
        return model;
    }

    static IReadOnlyList<TensorData> RunModel(Model fused, FusionMode mode, int modelIndex, TensorData x, ExecutionTarget target)
    {
        var feeds = mode == FusionMode.Switched
            ? new Dictionary<string, TensorData> { ["index"] = TensorData.Scalar((long)modelIndex), [$"m{modelIndex}_x"] = x }
            : new Dictionary<string, TensorData> { ["m0_x"] = x, ["m1_x"] = x };
        var outputs = Run(fused, feeds, target);
        return [outputs[2 * modelIndex], outputs[(2 * modelIndex) + 1]];
    }

    static void AssertEachModelAsAlone(Model fused, FusionMode mode, Model[] models, ExecutionTarget target)
    {
        // Oracle: each model run alone on the same target (managed bit-exact, ONNX Runtime within 1e-5 relative).
        foreach (var values in new[] { new float[] { 1, 2, 3, 4 }, [-1, -2, -3, 0.5f] })
        {
            var x = TensorData.Create<float>([4], values);
            for (var k = 0; k < models.Length; k++)
            {
                var expected = Run(models[k], new Dictionary<string, TensorData> { ["x"] = x }, target);
                var actual = RunModel(fused, mode, k, x, target);
                AssertSame(expected[0], actual[0], target);
                AssertSame(expected[1], actual[1], target);
            }
        }
    }

    [Theory, MemberData(nameof(Layouts))]
    public void Identical_functions_are_stored_once_and_each_model_gives_its_own_results(FusionMode mode, ExecutionTarget target)
    {
        Model[] models = [FunctionModel(2f), FunctionModel(2f)];

        var fused = ModelFusion.Fuse([new FusionInput(models[0], "a"), new FusionInput(models[1], "b")], new FusionOptions { Mode = mode });

        GraphVerifier.Check(ModelFile.Parse(new MemoryStream(ModelFile.Serialize(fused)), "fused", null));
        Assert.Equal(["Scale", "Outer"], fused.Functions.Select(f => f.Name));
        AssertEachModelAsAlone(fused, mode, models, target);
    }

    [Theory, MemberData(nameof(Layouts))]
    public void Functions_with_one_name_and_different_bodies_are_renamed_per_model_with_their_callers(FusionMode mode, ExecutionTarget target)
    {
        Model[] models = [FunctionModel(2f), FunctionModel(3f)];

        var fused = ModelFusion.Fuse([new FusionInput(models[0], "a"), new FusionInput(models[1], "b")], new FusionOptions { Mode = mode });

        GraphVerifier.Check(ModelFile.Parse(new MemoryStream(ModelFile.Serialize(fused)), "fused", null));
        // Outer's text is the same in both models, but model 1's calls m1_Scale, so it is renamed too.
        Assert.Equal(["Scale", "Outer", "m1_Scale", "m1_Outer"], fused.Functions.Select(f => f.Name));
        Assert.Contains(fused.Functions.Single(f => f.Name == "m1_Outer").Body.Nodes, n => n.OpType == "m1_Scale");
        Assert.Contains(fused.Graph.AllNodes(), n => n.OpType == "m1_Scale" && n.Graph != fused.Graph);
        AssertEachModelAsAlone(fused, mode, models, target);
    }

    [Fact]
    public void The_original_models_keep_their_function_names()
    {
        var second = FunctionModel(3f);

        ModelFusion.Fuse([new FusionInput(FunctionModel(2f), "a"), new FusionInput(second, "b")], new FusionOptions());

        Assert.Equal(["Scale", "Outer"], second.Functions.Select(f => f.Name));
        Assert.Equal("Outer", second.Graph.Nodes[0].OpType);
    }
}
