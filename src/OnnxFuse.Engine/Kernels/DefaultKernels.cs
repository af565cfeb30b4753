using OnnxFuse.Engine.Kernels.Activations;
using OnnxFuse.Engine.Kernels.Attention;
using OnnxFuse.Engine.Kernels.ControlFlow;
using OnnxFuse.Engine.Kernels.Detection;
using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Kernels.Image;
using OnnxFuse.Engine.Kernels.LinearAlgebra;
using OnnxFuse.Engine.Kernels.Loss;
using OnnxFuse.Engine.Kernels.Nn;
using OnnxFuse.Engine.Kernels.Normalization;
using OnnxFuse.Engine.Kernels.Quantization;
using OnnxFuse.Engine.Kernels.Recurrent;
using OnnxFuse.Engine.Kernels.Reduction;
using OnnxFuse.Engine.Kernels.Shape;
using OnnxFuse.Engine.Kernels.Tensor;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels;

/// <summary>The operators the managed engine implements, with the factories that read their attributes.</summary>
static class DefaultKernels
{
    const string Microsoft = "com.microsoft";

    public static KernelRegistry Create()
    {
        var r = new KernelRegistry();
        RegisterElementwise(r);
        RegisterActivations(r);
        RegisterTensorOps(r);
        RegisterShapeOps(r);
        RegisterNeuralNetworkOps(r);
        RegisterReductions(r);
        RegisterRecurrent(r);
        r.Register("If", i => new IfKernel(i.Subplans["then_branch"], i.Subplans["else_branch"]));
        r.Register("Loop", i => new LoopKernel(i.Subplans["body"]));
        r.Register("Scan", ScanKernel.Create, sinceVersion: 8);
        return r;
    }

    static void RegisterElementwise(KernelRegistry r)
    {
        r.Register("Add", _ => new BinaryArithmeticKernel<AddOp>());
        r.Register("Sub", _ => new BinaryArithmeticKernel<SubOp>());
        r.Register("Mul", _ => new BinaryArithmeticKernel<MulOp>());
        r.Register("Div", _ => new BinaryArithmeticKernel<DivOp>());
        r.Register("Pow", _ => new PowKernel());
        r.Register("Sum", _ => new VariadicKernel<AddOp>(isMean: false));
        r.Register("Mean", _ => new VariadicKernel<AddOp>(isMean: true));
        r.Register("Max", _ => new VariadicKernel<MaxOp>(isMean: false));
        r.Register("Min", _ => new VariadicKernel<MinOp>(isMean: false));
        r.Register("Equal", _ => new ComparisonKernel<EqualOp>());
        r.Register("Less", _ => new ComparisonKernel<LessOp>());
        r.Register("Greater", _ => new ComparisonKernel<GreaterOp>());
        r.Register("LessOrEqual", _ => new ComparisonKernel<LessOrEqualOp>());
        r.Register("GreaterOrEqual", _ => new ComparisonKernel<GreaterOrEqualOp>());
        r.Register("And", _ => new LogicalKernel<AndOp>());
        r.Register("Or", _ => new LogicalKernel<OrOp>());
        r.Register("Xor", _ => new LogicalKernel<XorOp>());
        r.Register("Not", _ => new NotKernel());
        r.Register("Where", _ => new WhereKernel());
        r.Register("Exp", _ => new SimdUnaryKernel<Simd.ExpOp>());
        r.Register("Log", _ => new UnaryKernel<LogOp>());
        r.Register("Sqrt", _ => new UnaryKernel<SqrtOp>());
        r.Register("Reciprocal", _ => new UnaryKernel<ReciprocalOp>());
        r.Register("Floor", _ => new UnaryKernel<FloorOp>());
        r.Register("Ceil", _ => new UnaryKernel<CeilOp>());
        r.Register("Round", _ => new UnaryKernel<RoundOp>());
        r.Register("Sin", _ => new UnaryKernel<SinOp>());
        r.Register("Cos", _ => new UnaryKernel<CosOp>());
        r.Register("Erf", _ => new SimdUnaryKernel<Simd.ErfOp>());
        r.Register("Tan", _ => new UnaryKernel<TanOp>());
        r.Register("Asin", _ => new UnaryKernel<AsinOp>());
        r.Register("Acos", _ => new UnaryKernel<AcosOp>());
        r.Register("Atan", _ => new UnaryKernel<AtanOp>());
        r.Register("Sinh", _ => new UnaryKernel<SinhOp>());
        r.Register("Cosh", _ => new UnaryKernel<CoshOp>());
        r.Register("Asinh", _ => new UnaryKernel<AsinhOp>());
        r.Register("Acosh", _ => new UnaryKernel<AcoshOp>());
        r.Register("Atanh", _ => new UnaryKernel<AtanhOp>());
        r.Register("Sign", i => i.InputElementType(0) is null or ElementType.Float or ElementType.Double
            ? new UnaryKernel<SignOp>()
            : throw i.Unsupported("Sign of integers"));
        r.Register("Softsign", _ => new UnaryKernel<SoftsignOp>());
        r.Register("DequantizeLinear", i => new DequantizeLinearKernel(i.GetInt("axis", 1)));
        r.Register("QuantizeLinear", i => i.InputElementType(0) is null or ElementType.Float && i.InputElementType(2) is null or ElementType.UInt8 or ElementType.Int8
            ? new QuantizeLinearKernel(i.GetInt("axis", 1))
            : throw i.Unsupported("QuantizeLinear of these types"));
        r.Register("Mod", i => i.GetInt("fmod", 0) != 0
            ? new BinaryArithmeticKernel<TruncatedModOp>()
            : i.InputElementType(0) is ElementType.Float or ElementType.Double or ElementType.Float16
                ? throw i.Unsupported("Mod of floating-point values with fmod = 0")
                : new BinaryArithmeticKernel<FloorModOp>());
        r.Register("BitShift", i => i.GetString("direction", "") switch
        {
            "LEFT" => new BitShiftKernel(left: true),
            "RIGHT" => new BitShiftKernel(left: false),
            var direction => throw i.Unsupported($"BitShift direction '{direction}'"),
        });
        r.Register("IsNaN", _ => FloatClassKernel.IsNaN());
        r.Register("IsInf", i => FloatClassKernel.IsInf(i.GetInt("detect_negative", 1) != 0, i.GetInt("detect_positive", 1) != 0));
        r.Register("Neg", _ => new NumericUnaryKernel(negate: true));
        r.Register("Abs", _ => new NumericUnaryKernel(negate: false));
    }

    static void RegisterActivations(KernelRegistry r)
    {
        r.Register("Relu", _ => new SimdUnaryKernel<Simd.ReluOp>());
        r.Register("Sigmoid", _ => new SimdUnaryKernel<Simd.SigmoidOp>());
        r.Register("Tanh", _ => new SimdUnaryKernel<Simd.TanhOp>());
        r.Register("Softplus", _ => new UnaryKernel<SoftplusOp>());
        r.Register("HardSwish", _ => new UnaryKernel<HardSwishOp>());
        r.Register("Mish", _ => new UnaryKernel<MishOp>());
        r.Register("LeakyRelu", i => new SimdUnaryKernel<Simd.LeakyReluOp>(new(i.GetFloat("alpha", 0.01f))));
        r.Register("Elu", i => new EluKernel(i.GetFloat("alpha", 1f), 1f));
        r.Register("Selu", i => new EluKernel(i.GetFloat("alpha", 1.67326319217681884765625f), i.GetFloat("gamma", 1.05070102214813232421875f)));
        r.Register("HardSigmoid", i => new SimdUnaryKernel<Simd.HardSigmoidOp>(new(i.GetFloat("alpha", 0.2f), i.GetFloat("beta", 0.5f))));
        r.Register("PRelu", _ => new PReluKernel());
        r.Register("Celu", i => new ThresholdActivationKernel(ThresholdActivation.Celu, i.GetFloat("alpha", 1f), 0f));
        r.Register("ThresholdedRelu", i => new ThresholdActivationKernel(ThresholdActivation.ThresholdedRelu, i.GetFloat("alpha", 1f), 0f));
        r.Register("Shrink", i => new ThresholdActivationKernel(ThresholdActivation.Shrink, i.GetFloat("lambd", 0.5f), i.GetFloat("bias", 0f)));
        r.Register("Hardmax", i => new HardmaxKernel(i.GetInt("axis", i.Opset < 13 ? 1 : -1), i.Opset < 13));
        r.Register("Clip", i => i.Opset < 11
            ? new ClipKernel(i.GetFloat("min", float.MinValue), i.GetFloat("max", float.MaxValue))
            : new ClipKernel(double.NegativeInfinity, double.PositiveInfinity));
        r.Register("Gelu", i => i.GetString("approximate", "none") == "tanh" ? new SimdUnaryKernel<Simd.FastGeluOp>() : new SimdUnaryKernel<Simd.GeluOp>(), sinceVersion: 20);
        r.Register(Microsoft, "Gelu", _ => new SimdUnaryKernel<Simd.GeluOp>());
        r.Register(Microsoft, "FastGelu", i =>
        {
            FloatOnly(i);
            return new BiasGeluKernel<Simd.FastGeluOp>();
        });
        r.Register(Microsoft, "QuickGelu", i => new SimdUnaryKernel<Simd.QuickGeluOp>(new(i.GetFloat("alpha", 1.702f))));
    }

    static void RegisterTensorOps(KernelRegistry r)
    {
        r.Register("Identity", _ => new IdentityKernel());
        r.Register("Dropout", i => i.InputCount > 2 && i.Constant(2) is not { } mode || i.Constant(2) is { } training && training.Bytes.Span[0] != 0
            ? throw i.Unsupported("Dropout in training mode")
            : new DropoutKernel());
        r.Register("Transpose", i => new TransposeKernel(i.GetInts("perm")));
        r.Register("Gather", i => new GatherKernel(i.GetInt("axis", 0)));
        r.Register("Concat", i => new ConcatKernel(i.GetInt("axis", 0)));
        r.Register("Split", i => new SplitKernel(i.GetInt("axis", 0), i.Opset < 13 ? i.GetInts("split") : null));
        r.Register("Slice", i => i.Opset < 10
            ? new SliceKernel(i.GetInts("starts") ?? [], i.GetInts("ends") ?? [], i.GetInts("axes"))
            : new SliceKernel(null, null, null));
        r.Register("Expand", _ => new ExpandKernel());
        r.Register("Tile", _ => new TileKernel());
        r.Register("Pad", i => new PadKernel(i.GetString("mode", "constant"), i.Opset < 11 ? i.GetInts("pads") ?? [] : null, i.GetFloat("value", 0f)));
        r.Register("Cast", i => new CastKernel(Numeric(i, (ElementType)i.GetInt("to", (long)ElementType.Float))));
        r.Register("NonZero", _ => new NonZeroKernel());
        r.Register("CumSum", i => new CumSumKernel(i.GetInt("exclusive", 0) != 0, i.GetInt("reverse", 0) != 0));
        r.Register("CastLike", i => i.InputElementType(1) is { } target
            ? new CastKernel(Numeric(i, target))
            : throw i.Unsupported("CastLike with an untyped target"));
        r.Register("GatherElements", i => new GatherElementsKernel(i.GetInt("axis", 0)));
        r.Register("GatherND", i => new GatherNDKernel(checked((int)i.GetInt("batch_dims", 0))));
        r.Register("ScatterElements", i => new ScatterElementsKernel(i.GetInt("axis", 0), Reduction(i)));
        r.Register("Scatter", i => new ScatterElementsKernel(i.GetInt("axis", 0), ScatterReduction.None));
        r.Register("ScatterND", i => new ScatterNDKernel(Reduction(i)));
        r.Register("Compress", i => new CompressKernel(i.FindAttr("axis")?.AsInt()));
        r.Register("ReverseSequence", i => new ReverseSequenceKernel(checked((int)i.GetInt("batch_axis", 1)), checked((int)i.GetInt("time_axis", 0))));
        Window(r, "HannWindow", WindowKind.Hann);
        Window(r, "HammingWindow", WindowKind.Hamming);
        Window(r, "BlackmanWindow", WindowKind.Blackman);
        r.Register("Unique", i => new UniqueKernel(i.FindAttr("axis")?.AsInt(), i.GetInt("sorted", 1) != 0));
        r.Register("Trilu", i => new TriluKernel(i.GetInt("upper", 1) != 0));
        r.Register("EyeLike", i => new EyeLikeKernel(i.FindAttr("dtype") is { } dtype ? Numeric(i, (ElementType)dtype.AsInt()) : null, i.GetInt("k", 0)));
        r.Register("OneHot", i => new OneHotKernel(i.GetInt("axis", -1)));
        r.Register("DepthToSpace", i => new DepthSpaceKernel(checked((int)i.GetInt("blocksize", 0)), toSpace: true, i.GetString("mode", "DCR") switch
        {
            "DCR" => false,
            "CRD" => true,
            var mode => throw i.Unsupported($"DepthToSpace mode '{mode}'"),
        }));
        r.Register("SpaceToDepth", i => new DepthSpaceKernel(checked((int)i.GetInt("blocksize", 0)), toSpace: false, columnRowDepth: false));
        r.Register("TopK", i => new TopKKernel(i.GetInt("axis", -1), i.GetInt("largest", 1) != 0, i.GetInt("k", 0)));
    }

    static void RegisterShapeOps(KernelRegistry r)
    {
        r.Register("Shape", i => new ShapeKernel(i.GetInt("start", 0), i.FindAttr("end")?.AsInt()));
        r.Register("Size", _ => new SizeKernel());
        r.Register("Reshape", i => new ReshapeKernel(i.Opset < 5 ? i.GetInts("shape") ?? [] : null, i.GetInt("allowzero", 0) != 0));
        r.Register("Flatten", i => new FlattenKernel(i.GetInt("axis", 1)));
        r.Register("Squeeze", i => new SqueezeKernel(i.Opset < 13 ? i.GetInts("axes") : null));
        r.Register("Unsqueeze", i => new UnsqueezeKernel(i.Opset < 13 ? i.GetInts("axes") ?? [] : null));
        r.Register("ConstantOfShape", i => new ConstantOfShapeKernel(i.FindAttr("value")?.AsTensor()));
        r.Register("Range", _ => new RangeKernel());
    }

    static void RegisterNeuralNetworkOps(KernelRegistry r)
    {
        r.Register("MatMulInteger", i => new QuantizedMatMulKernel(false, i.Constant(1), i.Constant(3), !i.HasInput(3)));
        r.Register("QLinearMatMul", i => new QuantizedMatMulKernel(true, i.Constant(3), i.Constant(5), !i.HasInput(5)), sinceVersion: 10);
        r.Register("ConvInteger", i => new QuantizedConvKernel(Geometry(i, ceilMode: false), (int)i.GetInt("group", 1), false, i.Constant(1),
            i.Constant(3), !i.HasInput(3)));
        r.Register("QLinearConv", i => new QuantizedConvKernel(Geometry(i, ceilMode: false, weightIndex: 3), (int)i.GetInt("group", 1), true, i.Constant(3),
            i.Constant(5), !i.HasInput(5)));
        r.Register(Microsoft, "QLinearAdd", _ => new QLinearAddKernel());
        r.Register(Microsoft, "QGemm", i => !i.HasInput(7) || i.GetFloat("alpha", 1f) != 1f
            ? throw i.Unsupported("QGemm with a float output or alpha ≠ 1")
            : new QuantizedGemmKernel(i.GetInt("transA", 0) != 0, i.GetInt("transB", 0) != 0, i.Constant(3), i.Constant(5), !i.HasInput(5)));
        r.Register("MatMul", i => new MatMulKernel(1f, false, false, i.Constant(1)));
        r.Register("Det", _ => new DeterminantKernel());
        r.Register("Einsum", i => EinsumEquation.Parse(i.GetString("equation", ""), out var error) is { } equation
            ? new EinsumKernel(equation)
            : throw i.Unsupported(error!));
        r.Register("Gemm", i => new GemmNodeKernel(i.GetFloat("alpha", 1f), i.GetFloat("beta", 1f), i.GetInt("transA", 0) != 0,
            i.GetInt("transB", 0) != 0, i.Constant(1), Kernels.Activation.None));
        r.Register(Microsoft, "FusedGemm", i => new GemmNodeKernel(i.GetFloat("alpha", 1f), i.GetFloat("beta", 1f), i.GetInt("transA", 0) != 0,
            i.GetInt("transB", 0) != 0, i.Constant(1), GemmActivation(i)));
        r.Register(Microsoft, "FusedMatMul", i => i.GetInt("transBatchA", 0) != 0 || i.GetInt("transBatchB", 0) != 0
            ? throw i.Unsupported("FusedMatMul with transposed batch axes")
            : new MatMulKernel(i.GetFloat("alpha", 1f), i.GetInt("transA", 0) != 0, i.GetInt("transB", 0) != 0, i.Constant(1)));
        r.Register("Conv", i => new ConvNodeKernel(Geometry(FloatOnly(i), ceilMode: false), (int)i.GetInt("group", 1), Kernels.Activation.None,
            i.Constant(1)));
        r.Register(Microsoft, "FusedConv", i => new ConvNodeKernel(Geometry(i, ceilMode: false), (int)i.GetInt("group", 1), Activation(i),
            i.Constant(1)));
        r.Register("ConvTranspose", i => new ConvTransposeKernel(Geometry(FloatOnly(i), ceilMode: false), (int)i.GetInt("group", 1),
            i.GetInts("output_padding"), i.GetInts("output_shape")));
        r.Register("MaxPool", i => i.OutputCount > 1
            ? throw i.Unsupported("MaxPool's Indices output")
            : new PoolKernel(Geometry(FloatOnly(i), i.GetInt("ceil_mode", 0) != 0), isMax: true, countIncludePad: false));
        r.Register("AveragePool", i => new PoolKernel(Geometry(FloatOnly(i), i.GetInt("ceil_mode", 0) != 0), isMax: false, i.GetInt("count_include_pad", 0) != 0));
        r.Register("MaxUnpool", i => new MaxUnpoolKernel(i.GetInts("kernel_shape") ?? throw i.Unsupported("MaxUnpool without kernel_shape"),
            i.GetInts("strides"), i.GetInts("pads")), sinceVersion: 9);
        r.Register("GlobalAveragePool", _ => new GlobalPoolKernel(isMax: false));
        r.Register("GlobalMaxPool", _ => new GlobalPoolKernel(isMax: true));
        r.Register("BatchNormalization", i => i.GetInt("training_mode", 0) != 0 || i.OutputCount > 1
            ? throw i.Unsupported("BatchNormalization in training mode")
            : new BatchNormalizationKernel(i.GetFloat("epsilon", 1e-5f), i.Constant(1), i.Constant(2), i.Constant(3), i.Constant(4)));
        r.Register("LayerNormalization", i => new LayerNormalizationKernel(i.GetInt("axis", -1), i.GetFloat("epsilon", 1e-5f), isSkip: false));
        r.Register(Microsoft, "SkipLayerNormalization", i => new LayerNormalizationKernel(-1, i.GetFloat("epsilon", 1e-12f), isSkip: true));
        // ONNX Runtime defines SimplifiedLayerNormalization (RMSNorm) in the ONNX domain, since version 1.
        r.Register("SimplifiedLayerNormalization", i => new SimplifiedLayerNormalizationKernel(i.GetInt("axis", -1), i.GetFloat("epsilon", 1e-5f),
            isSkip: false));
        r.Register(Microsoft, "SkipSimplifiedLayerNormalization", i => new SimplifiedLayerNormalizationKernel(-1, i.GetFloat("epsilon", 1e-12f),
            isSkip: true));
        r.Register(Microsoft, "Attention", Attention);
        r.Register(Microsoft, "MultiHeadAttention", MultiHeadAttention);
        r.Register("MeanVarianceNormalization", i => new MeanVarianceNormalizationKernel(i.GetInts("axes") ?? [0, 2, 3]));
        r.Register("LRN", i => new LocalResponseNormalizationKernel(checked((int)i.GetInt("size", 0)), i.GetFloat("alpha", 1e-4f), i.GetFloat("beta", 0.75f),
            i.GetFloat("bias", 1f)));
        r.Register("InstanceNormalization", i => new InstanceNormalizationKernel(i.GetFloat("epsilon", 1e-5f)));
        r.Register("Softmax", i => new SoftmaxKernel(i.GetInt("axis", i.Opset < 13 ? 1 : -1), i.Opset < 13, isLog: false));
        r.Register("LogSoftmax", i => new SoftmaxKernel(i.GetInt("axis", i.Opset < 13 ? 1 : -1), i.Opset < 13, isLog: true));
        r.Register(Microsoft, "BiasGelu", i =>
        {
            FloatOnly(i);
            return new BiasGeluKernel<Simd.GeluOp>();
        });
        r.Register("NegativeLogLikelihoodLoss", i => new NegativeLogLikelihoodLossKernel(LossReduction(i), i.FindAttr("ignore_index")?.AsInt()));
        r.Register("SoftmaxCrossEntropyLoss", i => new SoftmaxCrossEntropyLossKernel(LossReduction(i), i.FindAttr("ignore_index")?.AsInt()));
        r.Register("NonMaxSuppression", i => new NonMaxSuppressionKernel(i.GetInt("center_point_box", 0) != 0));
        r.Register("Resize", Resize, sinceVersion: 10);
        r.Register("GridSample", GridSample, sinceVersion: 16);
        r.Register("DynamicQuantizeLinear", _ => new DynamicQuantizeLinearKernel(), sinceVersion: 11);
        r.Register("Upsample", i => new ResizeKernel(InterpolationMode(i), "asymmetric", "floor", null, i.Opset >= 9 ? 1 : -1, -1,
            i.Opset >= 9 ? null : i.GetFloats("scales")));
    }

    static void RegisterReductions(KernelRegistry r)
    {
        Reduce(r, "ReduceSum", ReduceKind.Sum, axesInputSince: 13);
        Reduce(r, "ReduceMean", ReduceKind.Mean, axesInputSince: 18);
        Reduce(r, "ReduceMax", ReduceKind.Max, axesInputSince: 18);
        Reduce(r, "ReduceMin", ReduceKind.Min, axesInputSince: 18);
        Reduce(r, "ReduceProd", ReduceKind.Prod, axesInputSince: 18);
        Reduce(r, "ReduceSumSquare", ReduceKind.SumSquare, axesInputSince: 18);
        Reduce(r, "ReduceL1", ReduceKind.L1, axesInputSince: 18);
        Reduce(r, "ReduceL2", ReduceKind.L2, axesInputSince: 18);
        Reduce(r, "ReduceLogSum", ReduceKind.LogSum, axesInputSince: 18);
        Reduce(r, "ReduceLogSumExp", ReduceKind.LogSumExp, axesInputSince: 18);
        r.Register("ArgMax", i => new ArgMaxKernel(i.GetInt("axis", 0), i.GetInt("keepdims", 1) != 0, i.GetInt("select_last_index", 0) != 0, isMin: false));
        r.Register("ArgMin", i => new ArgMaxKernel(i.GetInt("axis", 0), i.GetInt("keepdims", 1) != 0, i.GetInt("select_last_index", 0) != 0, isMin: true));
    }

    static void RegisterRecurrent(KernelRegistry r)
    {
        r.Register("RNN", RecurrentKernelFactory.Rnn);
        r.Register("GRU", RecurrentKernelFactory.Gru);
        r.Register("LSTM", RecurrentKernelFactory.Lstm);
    }

    static void Reduce(KernelRegistry r, string opType, ReduceKind kind, int axesInputSince) =>
        r.Register(opType, i => new ReduceKernel(kind, i.Opset < axesInputSince ? i.GetInts("axes") : null, i.GetInt("keepdims", 1) != 0,
            i.GetInt("noop_with_empty_axes", 0) != 0));

    static void Window(KernelRegistry r, string opType, WindowKind kind) =>
        r.Register(opType, i => new WindowKernel(kind, i.GetInt("periodic", 1) != 0, Numeric(i, (ElementType)i.GetInt("output_datatype", (long)ElementType.Float))));

    static LossReduction LossReduction(KernelCreateInfo info) =>
        NegativeLogLikelihood.ParseReduction(info.GetString("reduction", "mean")) is { } reduction
            ? reduction
            : throw info.Unsupported($"reduction '{info.GetString("reduction", "mean")}'");

    static ScatterReduction Reduction(KernelCreateInfo info) =>
        ScatterReductions.Parse(info.GetString("reduction", "none")) is { } reduction
            ? reduction
            : throw info.Unsupported($"reduction '{info.GetString("reduction", "none")}'");

    static WindowGeometry Geometry(KernelCreateInfo info, bool ceilMode, int weightIndex = 1)
    {
        var kernelShape = info.GetInts("kernel_shape");
        var spatialRank = kernelShape?.Length
            ?? (info.Constant(weightIndex) is { } weight ? weight.Rank - 2 : (int?)null)
            ?? (info.InputTypes.Length > weightIndex && info.InputTypes[weightIndex]?.Shape is { } weightShape ? weightShape.Rank - 2 : (int?)null)
            ?? (info.InputTypes[0]?.Shape is { } shape ? shape.Rank - 2 : 2);
        if (spatialRank is < 1 or > 2)
            throw info.Unsupported($"{spatialRank}-D {info.OpType}");
        return new WindowGeometry(spatialRank, kernelShape, info.GetInts("strides"), info.GetInts("dilations"), info.GetInts("pads"),
            info.GetString("auto_pad", "NOTSET"), ceilMode);
    }

    static Kernel Resize(KernelCreateInfo info)
    {
        if (info.GetInt("antialias", 0) != 0 || info.GetString("keep_aspect_ratio_policy", "stretch") != "stretch")
            throw info.Unsupported("Resize with antialias or keep_aspect_ratio_policy");
        var coordinateMode = info.Opset < 11 ? "asymmetric" : info.GetString("coordinate_transformation_mode", "half_pixel");
        var nearestMode = info.Opset < 11 ? "floor" : info.GetString("nearest_mode", "round_prefer_floor");
        return new ResizeKernel(InterpolationMode(FloatOnly(info)), coordinateMode, nearestMode, info.GetInts("axes"), info.Opset < 11 ? 1 : 2,
            info.Opset < 11 ? -1 : 3, null)
        {
            CubicCoefficient = info.GetFloat("cubic_coeff_a", -0.75f),
            ExcludeOutside = info.GetInt("exclude_outside", 0) != 0,
            ExtrapolationValue = info.GetFloat("extrapolation_value", 0f),
            RoiInput = info.Opset < 11 ? -1 : 1,
        };
    }

    static Kernel GridSample(KernelCreateInfo info)
    {
        if (info.InputTypes[0]?.Shape is { Rank: not 4 })
            throw info.Unsupported($"{info.InputTypes[0]!.Shape!.Rank}-D GridSample");
        var mode = info.GetString("mode", info.Opset < 20 ? "bilinear" : "linear") switch
        {
            "nearest" => GridSampleMode.Nearest,
            "bilinear" or "linear" => GridSampleMode.Linear,
            "bicubic" or "cubic" => GridSampleMode.Cubic,
            var other => throw info.Unsupported($"GridSample mode '{other}'"),
        };
        var padding = info.GetString("padding_mode", "zeros") switch
        {
            "zeros" => GridSamplePadding.Zeros,
            "border" => GridSamplePadding.Border,
            "reflection" => GridSamplePadding.Reflection,
            var other => throw info.Unsupported($"GridSample padding_mode '{other}'"),
        };
        return new GridSampleKernel(mode, padding, info.GetInt("align_corners", 0) != 0);
    }

    static ResizeMode InterpolationMode(KernelCreateInfo info) => info.GetString("mode", "nearest") switch
    {
        "nearest" => ResizeMode.Nearest,
        "linear" or "bilinear" => ResizeMode.Linear,
        "cubic" when info.OpType == "Resize" => ResizeMode.Cubic,
        var mode => throw info.Unsupported($"{info.OpType} mode '{mode}'"),
    };

    /// <summary>Rejects, at plan time, a float32-only kernel's node whose input 0 is declared with another type.</summary>
    static KernelCreateInfo FloatOnly(KernelCreateInfo info) =>
        info.InputElementType(0) is null or ElementType.Float ? info : throw info.Unsupported($"{info.InputElementType(0)} input");

    /// <summary>Rejects casts from or to types without a numeric run-time representation (string, bfloat16, float8, 4-bit).</summary>
    static ElementType Numeric(KernelCreateInfo info, ElementType target)
    {
        static bool Supported(ElementType? type) => type is null or ElementType.Float or ElementType.Double or ElementType.Float16
            or ElementType.Int64 or ElementType.Int32 or ElementType.Int16 or ElementType.Int8 or ElementType.UInt8 or ElementType.UInt16
            or ElementType.UInt32 or ElementType.UInt64 or ElementType.Bool;
        return Supported(target) && Supported(info.InputElementType(0)) ? target : throw info.Unsupported($"Cast to {target.DisplayName()}");
    }

    /// <summary>
    /// com.microsoft Attention: no past state (inputs 4 and 6), no present output, no rotary embedding; Q and K of
    /// equal size; int32 mask_index.
    /// </summary>
    static Kernel Attention(KernelCreateInfo info)
    {
        FloatOnly(info);
        if (info.FirstPresentInput(4, 6) is var past and >= 0)
            throw info.Unsupported($"Attention's {(past == 4 ? "past" : "past_sequence_length")} input");
        if (info.IsOutputUsed(1))
            throw info.Unsupported("Attention's present output");
        if (info.GetInt("do_rotary", 0) != 0)
            throw info.Unsupported("Attention with do_rotary");
        (int, int, int)? hiddenSizes = info.GetInts("qkv_hidden_sizes") switch
        {
            null or [] => null,
            [var q, var k, var v] when q == k => ((int)q, (int)k, (int)v),
            var sizes => throw info.Unsupported($"Attention qkv_hidden_sizes [{string.Join(", ", sizes)}]"),
        };
        if (info.InputElementType(3) is not (null or ElementType.Int32))
            throw info.Unsupported($"Attention mask_index of type {info.InputElementType(3)}");
        return new AttentionKernel(HeadCount(info), info.GetFloat("scale", 0f), info.GetInt("unidirectional", 0) != 0,
            info.GetFloat("mask_filter_value", -10000f), hiddenSizes, info.Constant(1));
    }

    /// <summary>
    /// com.microsoft MultiHeadAttention in its unpacked 3-D form: query, key and value given (no packed QKV or KV), no
    /// past state (inputs 6–9), no present or QK outputs; int32 key_padding_mask.
    /// </summary>
    static Kernel MultiHeadAttention(KernelCreateInfo info)
    {
        FloatOnly(info);
        if (!info.HasInput(1) || !info.HasInput(2))
            throw info.Unsupported("MultiHeadAttention with packed QKV or KV (key or value omitted)");
        for (var i = 0; i < 3; i++)
            if (info.InputTypes[i]?.Shape is { } shape && shape.Rank != 3)
                throw info.Unsupported($"MultiHeadAttention with a {shape.Rank}-D {(i == 0 ? "query" : i == 1 ? "key" : "value")} (packed or BNSH form)");
        if (info.FirstPresentInput(6, 7, 8, 9) is var past and >= 0)
            throw info.Unsupported($"MultiHeadAttention's past state (input {past})");
        if (info.FirstUsedOutput(1, 2, 3) is var output and >= 0)
            throw info.Unsupported($"MultiHeadAttention's {(output == 3 ? "qk" : output == 1 ? "present_key" : "present_value")} output");
        if (info.InputElementType(4) is not (null or ElementType.Int32))
            throw info.Unsupported($"MultiHeadAttention key_padding_mask of type {info.InputElementType(4)}");
        return new MultiHeadAttentionKernel(HeadCount(info), info.GetFloat("scale", 0f), info.GetInt("unidirectional", 0) != 0,
            info.GetFloat("mask_filter_value", -10000f));
    }

    static int HeadCount(KernelCreateInfo info)
    {
        var heads = info.GetInt("num_heads", 0);
        return heads is > 0 and <= int.MaxValue ? (int)heads : throw info.Unsupported($"num_heads = {heads}");
    }

    /// <summary>
    /// FusedGemm's activation, as ONNX Runtime's FusedGemm reads it: <c>activation</c> with <c>activation_alpha</c> and
    /// <c>activation_beta</c> (not FusedConv's <c>activation_params</c>).
    /// </summary>
    static Activation GemmActivation(KernelCreateInfo info)
    {
        var name = info.FindAttr("activation")?.AsString();
        float[]? parameters = name switch
        {
            "LeakyRelu" => [info.GetFloat("activation_alpha", 0.01f)],
            "HardSigmoid" => [info.GetFloat("activation_alpha", 0.2f), info.GetFloat("activation_beta", 0.5f)],
            // ONNX Runtime's FusedGemm has no Clip.
            "Clip" => throw info.Unsupported("FusedGemm activation 'Clip'"),
            _ => null,
        };
        return Kernels.Activation.FromAttributes(name, parameters) ?? throw info.Unsupported($"fused activation '{name}'");
    }

    static Activation Activation(KernelCreateInfo info)
    {
        var name = info.FindAttr("activation")?.AsString();
        return Kernels.Activation.FromAttributes(name, info.GetFloats("activation_params"))
            ?? throw info.Unsupported($"fused activation '{name}'");
    }
}
