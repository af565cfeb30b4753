using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>How <see cref="NormalizationGraphs.DecomposedLayerNorm"/> writes the chain.</summary>
sealed record LayerNormForm
{
    public bool SquareWithMul { get; init; }
    public bool WithScale { get; init; } = true;
    public bool WithBias { get; init; } = true;
    /// <summary>Constants first in the commutative Mul and Add nodes.</summary>
    public bool ConstantsFirst { get; init; }
    /// <summary>γ and β as Constant nodes instead of initializers.</summary>
    public bool ConstantNodes { get; init; }
    public long Axis { get; init; } = -1;
    public float Epsilon { get; init; } = 1e-5f;
}

/// <summary>The decomposed normalizations exporters write, appended to a <see cref="GraphBuilder"/>.</summary>
static class NormalizationGraphs
{
    /// <summary>
    /// y = (x − μ) / √(mean((x − μ)²) + ε) · γ + β over <paramref name="x"/>'s last axis (size <paramref name="hidden"/>);
    /// ReduceMean's axes are an attribute below opset 18 and an input from 18.
    /// </summary>
    public static Value DecomposedLayerNorm(GraphBuilder b, Value x, long hidden, long opset, LayerNormForm form, int seed = 20)
    {
        var mean = ReduceMean(b, x, form.Axis, opset);
        var centered = b.Node("Sub", [x, mean]);
        var squared = form.SquareWithMul ? b.Node("Mul", [centered, centered]) : b.Node("Pow", [centered, b.Constant(TensorData.Scalar(2f))]);
        var denominator = b.Node("Sqrt", [Commuted(b, "Add", ReduceMean(b, squared, form.Axis, opset), b.Constant(TensorData.Scalar(form.Epsilon)), form)]);
        var y = b.Node("Div", [centered, denominator]);
        if (form.WithScale)
            y = Commuted(b, "Mul", y, Vector(b, "gamma", seed, hidden, form.ConstantNodes), form);
        if (form.WithBias)
            y = Commuted(b, "Add", y, Vector(b, "beta", seed + 1, hidden, form.ConstantNodes), form);
        return y;
    }

    public static Value ReduceMean(GraphBuilder b, Value x, long axis, long opset) => opset >= 18
        ? b.Node("ReduceMean", [x, b.Constant(TensorData.Create<long>([1], [axis]))])
        : b.Node("ReduceMean", [x], Attr.Ints("axes", [axis]));

    /// <summary>A float32 vector of <paramref name="length"/> values in [-1, 1), as an initializer or a Constant node.</summary>
    public static Value Vector(GraphBuilder b, string name, int seed, long length, bool constantNode = false)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, (int)length).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
        var data = TensorData.Create<float>([length], values);
        return constantNode ? b.Constant(data) : b.Initializer($"{name}_{seed}", data);
    }

    static Value Commuted(GraphBuilder b, string opType, Value variable, Value constant, LayerNormForm form) =>
        b.Node(opType, form.ConstantsFirst ? [constant, variable] : [variable, constant]);
}
