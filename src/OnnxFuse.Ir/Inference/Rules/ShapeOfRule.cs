using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Shape (int64 [rank], or the [start, end) slice since opset 15) and Size (int64 scalar). Their contents are
/// the input's dims, symbols included, which seeds the folding of shape computations.
/// </summary>
sealed class ShapeOfRule : IShapeRule
{
    public static ShapeOfRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var input = context.InputShape(0);
        if (context.Node.OpType == "Size")
        {
            context.SetOutput(0, ElementType.Int64, Shape.Scalar);
            if (input is not null)
                context.SetOutputData(0, PartialData.Scalar(DimMath.Product(input)));
            return;
        }
        if (input is null)
        {
            context.SetOutput(0, ElementType.Int64, new Shape([Dim.Unknown]));
            return;
        }
        var rank = input.Rank;
        var start = Clamp(context.Int("start", 0), rank);
        var end = Clamp(context.Int("end", rank), rank);
        var dims = input.Skip(start).Take(Math.Max(end - start, 0)).ToArray();
        context.SetOutput(0, ElementType.Int64, Shape.Of(dims.Length));
        context.SetOutputData(0, PartialData.Vector(dims));
    }

    static int Clamp(long index, int rank) => (int)Math.Clamp(index < 0 ? index + rank : index, 0, rank);
}
