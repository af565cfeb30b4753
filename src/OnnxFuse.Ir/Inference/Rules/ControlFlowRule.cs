using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// If, Loop and Scan: their bodies are inferred with the formal inputs typed from the node (bodies read outer
/// values directly). If: each output joins the two branches' types (dims that differ become unknown).
/// Loop: loop-carried outputs join the initial and the body's types; scan outputs get a leading iteration dim
/// (the trip count when it is constant and no condition is given). Scan (opset 9+): states as Loop; scan outputs
/// insert the scanned length at <c>scan_output_axes</c>.
/// </summary>
sealed class ControlFlowRule : IShapeRule
{
    public static ControlFlowRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        switch (context.Node.OpType)
        {
            case "If":
                If(context);
                break;
            case "Loop":
                Loop(context);
                break;
            default:
                Scan(context);
                break;
        }
    }

    static void If(InferenceContext context)
    {
        var thenTypes = context.InferSubgraph(context.Node.FindAttr("then_branch")!.AsGraph(), []);
        var elseTypes = context.InferSubgraph(context.Node.FindAttr("else_branch")!.AsGraph(), []);
        if (thenTypes.Count != elseTypes.Count)
            context.Invalid($"then_branch has {thenTypes.Count} outputs but else_branch {elseTypes.Count}");
        for (var i = 0; i < context.OutputCount; i++)
            context.SetOutputType(i, TypeMerge.Join(i < thenTypes.Count ? thenTypes[i] : null, i < elseTypes.Count ? elseTypes[i] : null));
    }

    static void Loop(InferenceContext context)
    {
        var body = context.Node.FindAttr("body")!.AsGraph();
        var carried = Math.Max(context.InputCount - 2, 0);
        var inputTypes = new List<OnnxType?>
        {
            new TensorType(ElementType.Int64, Shape.Scalar),
            new TensorType(ElementType.Bool, Shape.Scalar),
        };
        for (var i = 0; i < carried; i++)
            inputTypes.Add(Loosen(context.InputType(i + 2)));
        var outputs = context.InferSubgraph(body, inputTypes);
        var iterations = !context.HasInput(1) && context.InputValues(0) is [var tripCount] ? Dim.Of(tripCount) : Dim.Unknown;
        for (var i = 0; i < context.OutputCount; i++)
        {
            var bodyType = i + 1 < outputs.Count ? outputs[i + 1] : null;
            if (i < carried)
                context.SetOutputType(i, TypeMerge.Join(context.InputType(i + 2), bodyType));
            else if (bodyType is TensorType { Shape: var shape } tensor)
                context.SetOutput(i, tensor.ElementType, shape is null ? null : new Shape([iterations, .. shape]));
        }
    }

    static void Scan(InferenceContext context)
    {
        if (context.Opset < 9)
        {
            context.Unknown("Scan before opset 9 (batched form) is not inferred");
            return;
        }
        var body = context.Node.FindAttr("body")!.AsGraph();
        var scanInputs = (int)context.Int("num_scan_inputs", 0);
        var states = context.InputCount - scanInputs;
        var inputAxes = context.Ints("scan_input_axes");
        var outputAxes = context.Ints("scan_output_axes");
        var inputTypes = new List<OnnxType?>();
        for (var i = 0; i < states; i++)
            inputTypes.Add(Loosen(context.InputType(i)));
        var length = Dim.Unknown;
        for (var j = 0; j < scanInputs; j++)
        {
            var type = context.InputTensorType(states + j);
            if (type?.Shape is not { } shape || DimMath.NormalizeAxis(inputAxes?[j] ?? 0, shape.Rank) is not { } axis)
            {
                inputTypes.Add(type is null ? null : type with { Shape = null });
                continue;
            }
            if (j == 0)
                length = shape[axis];
            inputTypes.Add(type with { Shape = new Shape(shape.Where((_, k) => k != axis)) });
        }
        var outputs = context.InferSubgraph(body, inputTypes);
        for (var i = 0; i < context.OutputCount && i < outputs.Count; i++)
        {
            if (i < states)
            {
                context.SetOutputType(i, TypeMerge.Join(context.InputType(i), outputs[i]));
                continue;
            }
            if (outputs[i] is not TensorType { Shape: var slice } tensor)
                continue;
            Shape? shape = null;
            if (slice is not null && DimMath.NormalizeAxis(outputAxes?[i - states] ?? 0, slice.Rank + 1) is { } axis)
            {
                var dims = slice.ToList();
                dims.Insert(axis, length);
                shape = new Shape(dims);
            }
            context.SetOutput(i, tensor.ElementType, shape);
        }
    }

    /// <summary>
    /// A loop-carried value may change size between iterations, so the body sees its rank but not its dims.
    /// </summary>
    static OnnxType? Loosen(OnnxType? type) =>
        type is TensorType { Shape: { } shape } tensor ? tensor with { Shape = new Shape(shape.Select(_ => Dim.Unknown)) } : type;
}
