using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels.ControlFlow;

/// <summary>Scan models built in code, run on the engine and on ONNX Runtime (the oracle), compared within 1e-6 + 1e-5·|ort|.</summary>
public sealed class ScanKernelTests
{
    /// <summary>
    /// Opset 17. Scan inputs a [4, 2] (axis 0, forward) and b [2, 4] (axis 1, reversed); state s [2] ← s + a·b·w
    /// (w captured from the main graph). Scan outputs: s per step stacked along axis 1 in reverse ([2, 4]), and
    /// a − b stacked along axis −1 forward ([2, 4]).
    /// </summary>
    static Model AxesAndDirections()
    {
        var b = new GraphBuilder(opset: 17);
        var initial = b.Input("s0", ElementType.Float, 2);
        var a = b.Input("a", ElementType.Float, 4, 2);
        var bb = b.Input("b", ElementType.Float, 2, 4);
        var w = b.Initializer("w", TensorData.Create<float>([2], [0.5f, -2f]));

        var body = b.Subgraph("body");
        var state = body.Input("s", ElementType.Float, 2);
        var aSlice = body.Input("a_t", ElementType.Float, 2);
        var bSlice = body.Input("b_t", ElementType.Float, 2);
        var next = body.Node("Add", [state, body.Node("Mul", [body.Node("Mul", [aSlice, bSlice]), w])]);
        body.Outputs(next, body.Node("Identity", [next]), body.Node("Sub", [aSlice, bSlice]));

        var scan = b.Node("Scan", [initial, a, bb], 3, Attr.Graph("body", body.Graph), Attr.Int("num_scan_inputs", 2),
            Attr.Ints("scan_input_axes", [0, 1]), Attr.Ints("scan_input_directions", [0, 1]),
            Attr.Ints("scan_output_axes", [1, -1]), Attr.Ints("scan_output_directions", [1, 0]));
        b.Output(scan[0], "s_final");
        b.Output(scan[1], "s_steps");
        b.Output(scan[2], "differences");
        return b.Build();
    }

    static void AssertMatchesOrt(Model model, Dictionary<string, TensorData> feeds)
    {
        var expected = OrtOracle.RunOrt(model, feeds);
        var actual = OrtOracle.RunEngine(model, feeds);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Numerics.AssertClose(expected[i], actual[i], rtol: 1e-5, atol: 1e-6);
    }

    [Fact]
    public void Scan_slices_and_stacks_along_the_given_axes_and_directions_as_onnx_runtime_does()
    {
        AssertMatchesOrt(AxesAndDirections(), new()
        {
            ["s0"] = OrtOracle.Floats(1, [2]),
            ["a"] = OrtOracle.Floats(2, [4, 2]),
            ["b"] = OrtOracle.Floats(3, [2, 4]),
        });
    }

    /// <summary>Opset 8: sequence_lens, state [batch, 2], input [batch, time, 2]; s ← s + x_t, scan output s per step.</summary>
    static Model BatchedRunningSum()
    {
        var b = new GraphBuilder(opset: 8);
        var lengths = b.Input("lengths", ElementType.Int64, 3);
        var initial = b.Input("s0", ElementType.Float, 3, 2);
        var x = b.Input("x", ElementType.Float, 3, 4, 2);
        var body = b.Subgraph("body");
        var state = body.Input("s", ElementType.Float, 2);
        var slice = body.Input("x_t", ElementType.Float, 2);
        var next = body.Node("Add", [state, slice]);
        body.Outputs(next, body.Node("Identity", [next]));
        var scan = b.Node("Scan", [lengths, initial, x], 2, Attr.Graph("body", body.Graph), Attr.Int("num_scan_inputs", 1),
            Attr.Ints("directions", [1]));
        b.Output(scan[0], "s_final");
        b.Output(scan[1], "s_steps");
        return b.Build();
    }

    [Fact]
    public void Scan_opset_8_runs_each_batch_entry_over_its_own_length_and_zero_fills_the_rest_as_onnx_runtime_does()
    {
        AssertMatchesOrt(BatchedRunningSum(), new()
        {
            ["lengths"] = TensorData.Create<long>([3], [4, 2, 1]),
            ["s0"] = OrtOracle.Floats(4, [3, 2]),
            ["x"] = OrtOracle.Floats(5, [3, 4, 2]),
        });
    }
}
