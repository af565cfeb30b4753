using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// com.microsoft attention operators.
/// Attention: input [B, S, H_in], weights [H_in, H_q + H_k + H_v] (sizes from <c>qkv_hidden_sizes</c>, else
/// three equal parts) → output [B, S, H_v]; present [2, B, heads, P + S, H_k / heads] when past [2, B, heads, P, ·] is given.
/// MultiHeadAttention: query [B, S, H] (or packed [B, S, heads, 3, h]) → output [B, S, H_v], H_v from value
/// ([B, L, H_v], or heads·h for [B, heads, L, h]), else from query.
/// </summary>
sealed class AttentionRule : IShapeRule
{
    public static AttentionRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var input = context.InputShape(0);
        if (input is null || input.Rank < 3)
        {
            context.SetOutput(0, elementType, input is null ? null : new Shape([Dim.Unknown, Dim.Unknown, Dim.Unknown]));
            return;
        }
        if (context.Node.OpType == "Attention")
            Attention(context, input);
        else
            MultiHead(context, input);
    }

    static void Attention(InferenceContext context, Shape input)
    {
        var elementType = context.InputElementType(0);
        var heads = Dim.Of(context.Int("num_heads", 1));
        Dim valueHidden, keyHidden;
        if (context.Ints("qkv_hidden_sizes") is [_, var k, var v])
        {
            (keyHidden, valueHidden) = (Dim.Of(k), Dim.Of(v));
        }
        else
        {
            var total = context.InputShape(1) is { Rank: 2 } w ? w[1] : Dim.Unknown;
            keyHidden = valueHidden = DimMath.FloorDivide(total, Dim.Of(3));
        }
        context.SetOutput(0, elementType, new Shape([input[0], input[1], valueHidden]));
        if (context.InputShape(4) is { Rank: 5 } past)
        {
            var totalLength = DimMath.Add(past[3], input[1]);
            context.SetOutput(1, elementType, new Shape([Dim.Of(2), input[0], heads, totalLength, DimMath.FloorDivide(keyHidden, heads)]));
        }
    }

    static void MultiHead(InferenceContext context, Shape query)
    {
        var elementType = context.InputElementType(0);
        var heads = Dim.Of(context.Int("num_heads", 1));
        var value = context.InputShape(2);
        var key = context.InputShape(1);
        Dim valueHidden;
        if (query.Rank == 5)
            valueHidden = DimMath.Multiply(query[2], query[4]);
        else if (value is { Rank: 3 })
            valueHidden = value[2];
        else if (value is { Rank: 4 })
            valueHidden = DimMath.Multiply(value[1], value[3]);
        else if (key is { Rank: 5 })
            valueHidden = DimMath.Multiply(key[2], key[4]);
        else
            valueHidden = query[2];
        context.SetOutput(0, elementType, new Shape([query[0], query[1], valueHidden]));
        var headSize = DimMath.FloorDivide(valueHidden, heads);
        for (var i = 1; i < context.OutputCount; i++)
            context.SetOutput(i, elementType, new Shape([query[0], heads, Dim.Unknown, headSize]));
    }
}
