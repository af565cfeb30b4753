using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Runtime.Optimization;

namespace OnnxFuse.Runtime.Tests.Optimization;

public sealed class EngineConstantEvaluatorTests
{
    static readonly EngineConstantEvaluator s_evaluator = EngineConstantEvaluator.Instance;

    /// <summary>A model holding one <paramref name="opType"/> node whose inputs are <paramref name="inputs"/> (null: omitted).</summary>
    static Node NodeOf(string opType, TensorData?[] inputs, int outputCount = 1, long opset = 17, params Attr[] attributes)
    {
        var b = new GraphBuilder(opset);
        var values = inputs.Select((data, i) => data is null ? null : b.Initializer($"c{i}", data)).ToList();
        var node = b.AddNode(opType, values, outputCount, attributes);
        b.Outputs([.. node.Outputs.OfType<Value>()]);
        b.Build();
        return node;
    }

    [Fact]
    public void Evaluates_an_elementwise_node_with_broadcasting()
    {
        var node = NodeOf("Add", [TensorData.Create<float>([2, 2], [1, 2, 3, 4]), TensorData.Scalar(10f)]);

        var outputs = s_evaluator.TryEvaluate(node, [.. node.Inputs.Select(i => i!.ConstantData)], opset: 17);

        // Oracle: hand-computed sums (exact in float32).
        var sum = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<TensorData?>>(outputs))!;
        Assert.Equal([2L, 2L], sum.Dims);
        Assert.Equal([11f, 12f, 13f, 14f], sum.ToArray<float>());
        Assert.Null(sum.Name);
    }

    [Fact]
    public void Returns_every_output_of_a_multi_output_node_in_order()
    {
        var node = NodeOf("Split", [TensorData.Create<long>([5], [1, 2, 3, 4, 5]), TensorData.Create<long>([2], [2, 3])], outputCount: 2);

        var outputs = s_evaluator.TryEvaluate(node, [.. node.Inputs.Select(i => i!.ConstantData)], opset: 17)!;

        Assert.Equal([1L, 2L], outputs[0]!.ToArray<long>());
        Assert.Equal([3L, 4L, 5L], outputs[1]!.ToArray<long>());
    }

    [Fact]
    public void Passes_omitted_optional_inputs_as_omitted()
    {
        var node = NodeOf("Clip", [TensorData.Create<float>([3], [-5, 0, 5]), null, TensorData.Scalar(1f)]);

        var outputs = s_evaluator.TryEvaluate(node, [.. node.Inputs.Select(i => i?.ConstantData)], opset: 17)!;

        Assert.Equal([-5f, 0f, 1f], outputs[0]!.ToArray<float>());
    }

    [Fact]
    public void Runs_the_node_at_the_given_opset()
    {
        // Unsqueeze took its axes as an attribute before opset 13.
        var node = NodeOf("Unsqueeze", [TensorData.Create<long>([2], [7, 8])], opset: 11, attributes: Attr.Ints("axes", [0]));

        var outputs = s_evaluator.TryEvaluate(node, [node.Input(0).ConstantData], opset: 11)!;

        Assert.Equal([1L, 2L], outputs[0]!.Dims);
    }

    [Fact]
    public void Returns_null_for_an_operator_the_engine_does_not_support()
    {
        var node = NodeOf("NoSuchOperator", [TensorData.Scalar(1f)]);

        Assert.Null(s_evaluator.TryEvaluate(node, [node.Input(0).ConstantData], opset: 17));
    }

    [Fact]
    public void Returns_null_for_inputs_the_engine_rejects()
    {
        var node = NodeOf("Add", [TensorData.Create<float>([2], [1, 2]), TensorData.Create<float>([3], [1, 2, 3])]);

        Assert.Null(s_evaluator.TryEvaluate(node, [.. node.Inputs.Select(i => i!.ConstantData)], opset: 17));
    }

    [Fact]
    public void Returns_null_for_a_node_outside_the_default_domain()
    {
        var b = new GraphBuilder(17);
        var node = b.AddNode("Gelu", [b.Initializer("c", TensorData.Scalar(1f))], domain: "com.microsoft");

        Assert.Null(s_evaluator.TryEvaluate(node, [node.Input(0).ConstantData], opset: 17));
    }
}
