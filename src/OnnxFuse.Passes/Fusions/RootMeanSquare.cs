using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Matching;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// <c>s = √(ReduceMean(v², [-1]) + ε)</c>, the denominator of layer and RMS normalization, with v² as Pow(v, 2)
/// or Mul(v, v) and the Add in either order. <see cref="Nodes"/>: square, ReduceMean, Add, Sqrt; each is read
/// only by the next, and the Sqrt by one node.
/// </summary>
public sealed record RootMeanSquare(Node Square, float Epsilon, IReadOnlyList<Node> Nodes)
{
    /// <summary>The root mean square of <paramref name="input"/> that produces <paramref name="root"/>, or null.</summary>
    public static RootMeanSquare? Read(Value root, Value input)
    {
        if (root.ProducedBy("Sqrt") is not { } sqrt || root.SoleConsumer() is null)
            return null;
        if (sqrt.Input(0).ProducedBy("Add") is not { } addEpsilon || Operands.SplitConstant(addEpsilon) is not var (variance, epsilon)
            || Operands.Scalar(epsilon) is not { } epsilonValue || !addEpsilon.Output(0).IsOnlyReadBy(sqrt))
            return null;
        if (variance.ProducedBy("ReduceMean") is not { } mean || !variance.IsOnlyReadBy(addEpsilon) || !LayerNormPattern.IsLastAxisMean(mean, input))
            return null;
        var squared = mean.Input(0);
        if (squared.Producer is not { IsDefaultDomain: true } square || !squared.IsOnlyReadBy(mean) || !IsSquareOf(square, input))
            return null;
        return new RootMeanSquare(square, epsilonValue, [square, mean, addEpsilon, sqrt]);
    }

    static bool IsSquareOf(Node square, Value input) => square.OpType switch
    {
        "Pow" => ReferenceEquals(square.Input(0), input) && Operands.IsScalar(square.Input(1), 2f),
        "Mul" => ReferenceEquals(square.Input(0), input) && ReferenceEquals(square.Input(1), input),
        _ => false,
    };
}
