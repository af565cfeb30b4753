using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Normalizations keep X's shape in output 0 (BatchNormalization, LayerNormalization, InstanceNormalization,
/// GroupNormalization, com.microsoft SkipLayerNormalization…). Side outputs: BatchNormalization's running and
/// saved statistics are [C]; LayerNormalization's Mean and InvStdDev keep the dims before <c>axis</c> and have
/// 1 after it (element type <c>stash_type</c>, float by default), as does SimplifiedLayerNormalization's InvStdDev
/// (output 1; ONNX Runtime defines the operator in the ONNX domain); SkipLayerNormalization's and
/// SkipSimplifiedLayerNormalization's mean and inverse std are [.., 1] float and their fourth output
/// (input + skip + bias) has X's type.
/// </summary>
sealed class NormalizationRule : IShapeRule
{
    public static NormalizationRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var x = context.InputShape(0);
        context.SetOutput(0, elementType, x);
        switch (context.Node.OpType)
        {
            case "BatchNormalization":
                var channels = x is { Rank: >= 2 } ? new Shape([x[1]]) : null;
                for (var i = 1; i < context.OutputCount; i++)
                    context.SetOutput(i, elementType, channels);
                break;
            case "LayerNormalization" or "SimplifiedLayerNormalization":
                var stash = (ElementType)context.Int("stash_type", (long)ElementType.Float);
                var axis = context.Int("axis", -1);
                var statistics = x is null ? null : Statistics(x, axis);
                context.SetOutput(1, stash, statistics);
                context.SetOutput(2, stash, statistics);
                break;
            case "SkipLayerNormalization" or "SkipSimplifiedLayerNormalization":
                var reduced = x is null ? null : Statistics(x, -1);
                context.SetOutput(1, ElementType.Float, reduced);
                context.SetOutput(2, ElementType.Float, reduced);
                context.SetOutput(3, elementType, x);
                break;
            default:
                break;
        }
    }

    static Shape? Statistics(Shape x, long axis) =>
        DimMath.NormalizeAxis(axis, x.Rank) is { } start ? new Shape(x.Select((d, k) => k < start ? d : Dim.Of(1))) : null;
}
