using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Matching;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// The ending GELU forms share, <c>y = x · 0.5 · (1 + f)</c>, read forward from f, in any association and
/// operand order: <c>(x · (1+f)) · 0.5</c>, <c>((1+f) · 0.5) · x</c>, <c>(x · 0.5) · (1+f)</c>.
/// <see cref="Nodes"/> are the Add of 1 and the two Muls; each intermediate is read only by the next of them.
/// </summary>
public sealed record GeluTail(Node Last, IReadOnlyList<Node> Nodes)
{
    /// <summary>The product x · 0.5 · (1 + <paramref name="f"/>), or null.</summary>
    public static GeluTail? Read(Value f, Value x)
    {
        if (f.SoleConsumer() is not { OpType: "Add", IsDefaultDomain: true } addOne || !Operands.IsScalar(Operands.Other(addOne, f), 1f))
            return null;
        var onePlus = addOne.Output(0);
        if (onePlus.SoleConsumer() is not { } first || !IsMul(first) || Operands.Other(first, onePlus) is not { } other)
            return null;
        if (ReferenceEquals(other, x) || Operands.IsScalar(other, 0.5f))
        {
            // (x · (1+f)) · 0.5 or ((1+f) · 0.5) · x: the second Mul brings the factor the first lacks.
            var partial = first.Output(0);
            if (partial.SoleConsumer() is not { } second || !IsMul(second))
                return null;
            var missing = Operands.Other(second, partial);
            var complete = ReferenceEquals(other, x) ? Operands.IsScalar(missing, 0.5f) : ReferenceEquals(missing, x);
            return complete ? new GeluTail(second, [addOne, first, second]) : null;
        }
        return other.Producer is { } half && IsMul(half) && other.IsOnlyReadBy(first) && Operands.IsScalar(Operands.Other(half, x), 0.5f)
            ? new GeluTail(first, [addOne, half, first])
            : null;
    }

    static bool IsMul(Node node) => node is { OpType: "Mul", IsDefaultDomain: true };
}
