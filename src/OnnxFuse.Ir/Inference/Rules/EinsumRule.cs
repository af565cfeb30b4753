using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Einsum: each input's dims are labelled by its term of <c>equation</c> ("…" covers broadcast dims); the output
/// lists the labels after "->", or (implicit form) the broadcast dims then the labels used once, sorted.
/// </summary>
sealed class EinsumRule : IShapeRule
{
    public static EinsumRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var equation = context.String("equation", "").Replace(" ", "", StringComparison.Ordinal);
        var arrow = equation.IndexOf("->", StringComparison.Ordinal);
        var terms = (arrow >= 0 ? equation[..arrow] : equation).Split(',');
        if (terms.Length != context.InputCount)
        {
            context.Invalid($"equation '{equation}' has {terms.Length} terms for {context.InputCount} inputs");
            return;
        }
        var sizes = new Dictionary<char, Dim>();
        var counts = new Dictionary<char, int>();
        var ellipsis = new List<Shape>();
        for (var i = 0; i < terms.Length; i++)
        {
            if (context.InputShape(i) is not { } shape)
            {
                context.SetOutput(0, elementType, null);
                return;
            }
            var term = terms[i];
            var dots = term.IndexOf("...", StringComparison.Ordinal);
            var labels = term.Replace("...", "", StringComparison.Ordinal);
            var broadcastRank = shape.Rank - labels.Length;
            var position = 0;
            for (var c = 0; c < term.Length; c++)
            {
                if (c == dots)
                {
                    ellipsis.Add(new Shape(shape.Skip(position).Take(broadcastRank)));
                    position += broadcastRank;
                    c += 2;
                    continue;
                }
                var label = term[c];
                var dim = shape[position++];
                sizes[label] = sizes.TryGetValue(label, out var seen) && (seen.IsKnown || !dim.IsKnown) ? seen : dim;
                counts[label] = counts.GetValueOrDefault(label) + 1;
            }
        }
        var broadcast = ellipsis.Count > 0 ? Broadcasting.Shapes(ellipsis, out _) : Shape.Scalar;
        var output = arrow >= 0
            ? equation[(arrow + 2)..]
            : "..." + new string([.. counts.Where(p => p.Value == 1).Select(p => p.Key).Order()]);
        var dims = new List<Dim>();
        for (var c = 0; c < output.Length; c++)
        {
            if (output.AsSpan(c).StartsWith("...", StringComparison.Ordinal))
            {
                dims.AddRange(broadcast ?? Shape.Scalar);
                c += 2;
            }
            else
            {
                dims.Add(sizes.GetValueOrDefault(output[c]));
            }
        }
        context.SetOutput(0, elementType, new Shape(dims));
    }
}
