using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>Transpose: output dim k is input dim perm[k]; without <c>perm</c> the dims are reversed.</summary>
sealed class TransposeRule : IShapeRule
{
    public static TransposeRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var input = context.InputShape(0);
        var perm = context.Ints("perm");
        if (input is null)
        {
            context.SetOutput(0, elementType, perm is null ? null : new Shape(perm.Select(_ => Dim.Unknown)));
            return;
        }
        perm ??= [.. Enumerable.Range(0, input.Rank).Reverse().Select(k => (long)k)];
        if (perm.Count != input.Rank || perm.Any(p => p < 0 || p >= input.Rank))
        {
            context.Invalid($"perm [{string.Join(',', perm)}] does not fit input shape {input}");
            return;
        }
        context.SetOutput(0, elementType, new Shape(perm.Select(p => input[(int)p])));
    }
}
