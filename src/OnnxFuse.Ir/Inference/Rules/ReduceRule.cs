using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Reductions (ReduceMean, ReduceSum, ReduceMax…): the listed axes (all when none) become 1 with
/// <c>keepdims</c> (default) or disappear. Axes are an attribute until ReduceSum moved them to input 1 in
/// opset 13 and the other reductions in opset 18; there, empty axes with <c>noop_with_empty_axes</c> is identity.
/// ArgMax/ArgMin reduce one <c>axis</c> and output int64 indices.
/// </summary>
sealed class ReduceRule : IShapeRule
{
    public static ReduceRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var isArg = context.Node.OpType is "ArgMax" or "ArgMin";
        var elementType = isArg ? ElementType.Int64 : context.InputElementType(0);
        var input = context.InputShape(0);
        var keepDims = context.Int("keepdims", 1) != 0;
        if (input is null)
        {
            context.SetOutput(0, elementType, null);
            return;
        }
        IReadOnlyList<long>? axes;
        if (isArg)
        {
            axes = [context.Int("axis", 0)];
        }
        else
        {
            var inputSince = context.Node.OpType == "ReduceSum" ? 13 : 18;
            axes = context.AttrOrInput("axes", 1, inputSince, out var axesKnown);
            if (!axesKnown)
            {
                context.SetOutput(0, elementType, keepDims ? new Shape(input.Select(_ => Dim.Unknown)) : null);
                context.Unknown("reduction axes are not constant");
                return;
            }
            if (axes is null or { Count: 0 } && context.Opset >= inputSince && context.Int("noop_with_empty_axes", 0) != 0)
            {
                context.SetOutput(0, elementType, input);
                return;
            }
        }
        var reduced = new HashSet<int>();
        if (axes is null or { Count: 0 })
        {
            reduced.UnionWith(Enumerable.Range(0, input.Rank));
        }
        else
        {
            foreach (var axis in axes)
            {
                if (DimMath.NormalizeAxis(axis, input.Rank) is not { } k)
                {
                    context.Invalid($"axis {axis} is out of range for shape {input}");
                    return;
                }
                reduced.Add(k);
            }
        }
        var dims = keepDims
            ? input.Select((d, k) => reduced.Contains(k) ? Dim.Of(1) : d)
            : input.Where((_, k) => !reduced.Contains(k));
        context.SetOutput(0, elementType, new Shape(dims));
    }
}
