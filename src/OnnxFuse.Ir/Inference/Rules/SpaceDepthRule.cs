using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// DepthToSpace: [N, C, H, W] → [N, C / b², H·b, W·b]; SpaceToDepth: [N, C, H, W] → [N, C·b², H / b, W / b]
/// with b = <c>blocksize</c>.
/// </summary>
sealed class SpaceDepthRule : IShapeRule
{
    public static SpaceDepthRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var x = context.InputShape(0);
        var block = Dim.Of(context.Int("blocksize", 1));
        var area = DimMath.Multiply(block, block);
        if (x is not { Rank: 4 })
        {
            context.SetOutput(0, elementType, new Shape(Enumerable.Repeat(Dim.Unknown, 4)));
            return;
        }
        context.SetOutput(0, elementType, context.Node.OpType == "DepthToSpace"
            ? new Shape([x[0], DimMath.FloorDivide(x[1], area), DimMath.Multiply(x[2], block), DimMath.Multiply(x[3], block)])
            : new Shape([x[0], DimMath.Multiply(x[1], area), DimMath.FloorDivide(x[2], block), DimMath.FloorDivide(x[3], block)]));
    }
}
