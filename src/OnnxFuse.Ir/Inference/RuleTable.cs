using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Inference.Rules;

namespace OnnxFuse.Ir.Inference;

/// <summary>The inference rule of each operator, by (domain, op type); "ai.onnx" is the default domain "".</summary>
static class RuleTable
{
    const string Microsoft = "com.microsoft";

    static readonly Dictionary<(string Domain, string OpType), IShapeRule> s_rules = Build();

    public static IShapeRule? Find(string domain, string opType) =>
        s_rules.GetValueOrDefault((OpsetImports.Normalize(domain), opType));

    /// <summary>Every (domain, op type) that has a rule.</summary>
    public static IEnumerable<(string Domain, string OpType)> Operators => s_rules.Keys;

    static Dictionary<(string, string), IShapeRule> Build()
    {
        var rules = new Dictionary<(string, string), IShapeRule>();
        void Add(string domain, IShapeRule rule, params string[] opTypes)
        {
            foreach (var opType in opTypes)
                rules.Add((domain, opType), rule);
        }

        Add("", UnaryRule.SameType,
            "Identity", "Dropout", "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Celu", "Gelu", "Sigmoid", "HardSigmoid",
            "HardSwish", "Mish", "Softplus", "Softsign", "ThresholdedRelu", "Shrink", "Tanh", "Abs", "Neg", "Exp", "Log",
            "Sqrt", "Reciprocal", "Erf", "Floor", "Ceil", "Round", "Sign", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan",
            "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Not", "BitwiseNot", "Clip", "Softmax", "LogSoftmax", "Hardmax",
            "LRN", "CumSum", "Trilu", "ReverseSequence", "Bernoulli", "Det");
        Add("", UnaryRule.ToBool, "IsNaN", "IsInf");
        Add("", ElementwiseRule.Arithmetic,
            "Add", "Sub", "Mul", "Div", "Pow", "Mod", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "Max", "Min",
            "Sum", "Mean");
        Add("", ElementwiseRule.Predicate, "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor");
        Add("", ElementwiseRule.Select, "Where");
        Add("", CastRule.Instance, "Cast", "CastLike");
        Add("", QuantizeRule.Instance, "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear");
        Add("", ShapeOfRule.Instance, "Shape", "Size");
        Add("", ConstantRule.Instance, "Constant");
        Add("", GeneratorRule.Instance, "ConstantOfShape", "Range", "EyeLike", "RandomNormal", "RandomUniform",
            "RandomNormalLike", "RandomUniformLike");
        Add("", ReshapeRule.Instance, "Reshape", "Flatten");
        Add("", TransposeRule.Instance, "Transpose");
        Add("", ConcatRule.Instance, "Concat");
        Add("", SplitRule.Instance, "Split");
        Add("", SliceRule.Instance, "Slice");
        Add("", GatherRule.Instance, "Gather", "GatherElements", "GatherND", "Scatter", "ScatterElements", "ScatterND");
        Add("", SqueezeUnsqueezeRule.Instance, "Squeeze", "Unsqueeze");
        Add("", ExpandTileRule.Instance, "Expand", "Tile");
        Add("", PadRule.Instance, "Pad");
        Add("", ReduceRule.Instance,
            "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum",
            "ReduceLogSumExp", "ReduceSumSquare", "ArgMax", "ArgMin");
        Add("", MatMulRule.Instance, "MatMul", "MatMulInteger");
        Add("", GemmRule.Instance, "Gemm");
        Add("", ConvRule.Instance, "Conv", "ConvInteger");
        Add("", ConvTransposeRule.Instance, "ConvTranspose");
        Add("", PoolRule.Instance, "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool");
        Add("", NormalizationRule.Instance, "BatchNormalization", "LayerNormalization", "InstanceNormalization",
            "GroupNormalization", "MeanVarianceNormalization", "LpNormalization", "SimplifiedLayerNormalization");
        Add("", SpaceDepthRule.Instance, "DepthToSpace", "SpaceToDepth");
        Add("", TopKRule.Instance, "TopK");
        Add("", DataDependentRule.Instance, "NonZero", "Compress", "Unique");
        Add("", OneHotRule.Instance, "OneHot");
        Add("", RecurrentRule.Instance, "RNN", "GRU", "LSTM");
        Add("", ResizeRule.Instance, "Resize", "Upsample");
        Add("", EinsumRule.Instance, "Einsum");
        Add("", ControlFlowRule.Instance, "If", "Loop", "Scan");

        Add(Microsoft, UnaryRule.SameType, "Gelu", "QuickGelu");
        Add(Microsoft, ElementwiseRule.Arithmetic, "BiasGelu", "FastGelu");
        Add(Microsoft, ConvRule.Instance, "FusedConv");
        Add(Microsoft, GemmRule.Instance, "FusedGemm");
        Add(Microsoft, MatMulRule.Instance, "FusedMatMul");
        Add(Microsoft, NormalizationRule.Instance, "SkipLayerNormalization", "SkipSimplifiedLayerNormalization",
            "SimplifiedLayerNormalization");
        Add(Microsoft, AttentionRule.Instance, "Attention", "MultiHeadAttention");
        return rules;
    }
}
