using OnnxFuse.Engine.Kernels.Activation;
using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Kernels.Tensor;

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
        r.Register("Exp", _ => new UnaryKernel<ExpOp>());
        r.Register("Log", _ => new UnaryKernel<LogOp>());
        r.Register("Sqrt", _ => new UnaryKernel<SqrtOp>());
        r.Register("Reciprocal", _ => new UnaryKernel<ReciprocalOp>());
        r.Register("Floor", _ => new UnaryKernel<FloorOp>());
        r.Register("Ceil", _ => new UnaryKernel<CeilOp>());
        r.Register("Round", _ => new UnaryKernel<RoundOp>());
        r.Register("Sin", _ => new UnaryKernel<SinOp>());
        r.Register("Cos", _ => new UnaryKernel<CosOp>());
        r.Register("Erf", _ => new UnaryKernel<ErfOp>());
        r.Register("Neg", _ => new NegKernel());
        r.Register("Abs", _ => new AbsKernel());
    }

    static void RegisterActivations(KernelRegistry r)
    {
        r.Register("Relu", _ => new UnaryKernel<ReluOp>());
        r.Register("Sigmoid", _ => new UnaryKernel<SigmoidOp>());
        r.Register("Tanh", _ => new UnaryKernel<TanhOp>());
        r.Register("Softplus", _ => new UnaryKernel<SoftplusOp>());
        r.Register("HardSwish", _ => new UnaryKernel<HardSwishOp>());
        r.Register("Mish", _ => new UnaryKernel<MishOp>());
        r.Register("LeakyRelu", i => new LeakyReluKernel(i.GetFloat("alpha", 0.01f)));
        r.Register("Elu", i => new EluKernel(i.GetFloat("alpha", 1f), 1f));
        r.Register("Selu", i => new EluKernel(i.GetFloat("alpha", 1.67326319217681884765625f), i.GetFloat("gamma", 1.05070102214813232421875f)));
        r.Register("HardSigmoid", i => new HardSigmoidKernel(i.GetFloat("alpha", 0.2f), i.GetFloat("beta", 0.5f)));
        r.Register("PRelu", _ => new PReluKernel());
        r.Register("Clip", i => i.Opset < 11
            ? new ClipKernel(i.GetFloat("min", float.MinValue), i.GetFloat("max", float.MaxValue))
            : new ClipKernel(double.NegativeInfinity, double.PositiveInfinity));
        r.Register("Gelu", i => i.GetString("approximate", "none") == "tanh" ? new UnaryKernel<GeluTanhOp>() : new UnaryKernel<GeluErfOp>(), sinceVersion: 20);
        r.Register(Microsoft, "Gelu", _ => new UnaryKernel<GeluErfOp>());
        r.Register(Microsoft, "FastGelu", _ => new UnaryKernel<GeluTanhOp>());
        r.Register(Microsoft, "QuickGelu", _ => new UnaryKernel<QuickGeluOp>());
    }

    static void RegisterTensorOps(KernelRegistry r)
    {
        r.Register("Identity", _ => new IdentityKernel());
        r.Register("Dropout", _ => new DropoutKernel());
    }
}
