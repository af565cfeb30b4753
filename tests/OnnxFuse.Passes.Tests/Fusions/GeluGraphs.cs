using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>How the final product x · 0.5 · (1 + f) is associated (the forms exporters write).</summary>
public enum HalfProduct
{
    /// <summary>(x · (1 + f)) · 0.5, PyTorch's erf GELU.</summary>
    InputFirst,
    /// <summary>(x · 0.5) · (1 + f), the tanh GELU of GPT-2 style exports.</summary>
    HalfFirst,
    /// <summary>x · ((1 + f) · 0.5).</summary>
    OnePlusFirst,
}

/// <summary>GELU forms appended to a <see cref="GraphBuilder"/>.</summary>
static class GeluGraphs
{
    public static Value Scalar(GraphBuilder b, float value) => b.Constant(TensorData.Scalar(value));

    /// <summary>Mul with the operands in the given or the swapped order.</summary>
    public static Value Mul(GraphBuilder b, Value first, Value second, bool swapped) => b.Node("Mul", swapped ? [second, first] : [first, second]);

    /// <summary>x · 0.5 · (1 + f), associated as <paramref name="product"/>.</summary>
    public static Value HalfTimesOnePlus(GraphBuilder b, Value x, Value f, HalfProduct product, bool swapped, float half = 0.5f)
    {
        var onePlus = b.Node("Add", swapped ? [Scalar(b, 1f), f] : [f, Scalar(b, 1f)]);
        return product switch
        {
            HalfProduct.InputFirst => Mul(b, Mul(b, x, onePlus, swapped), Scalar(b, half), swapped),
            HalfProduct.HalfFirst => Mul(b, Mul(b, x, Scalar(b, half), swapped), onePlus, swapped),
            _ => Mul(b, x, Mul(b, onePlus, Scalar(b, half), swapped), swapped),
        };
    }

    /// <summary>x · 0.5 · (1 + Erf(x / √2)), with x / √2 as Div(x, √2) or Mul(x, 1/√2).</summary>
    public static Value ErfGelu(GraphBuilder b, Value x, bool divide, HalfProduct product, bool swapped, float sqrtTwo = 1.4142135f)
    {
        var scaled = divide ? b.Node("Div", [x, Scalar(b, sqrtTwo)]) : Mul(b, x, Scalar(b, 1f / sqrtTwo), swapped);
        return HalfTimesOnePlus(b, x, b.Node("Erf", [scaled]), product, swapped);
    }
}
