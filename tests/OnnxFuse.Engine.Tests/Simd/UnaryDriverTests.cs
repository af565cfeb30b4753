using OnnxFuse.Engine.Simd;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Tests.Simd;

public sealed class UnaryDriverTests
{
    public static TheoryData<string, SimdWidth> OpsAndWidths()
    {
        var data = new TheoryData<string, SimdWidth>();
        foreach (var op in new[] { "Relu", "Clip", "LeakyRelu", "Exp", "Sigmoid", "Tanh", "Erf", "Gelu", "FastGelu", "HardSigmoid", "ScaleShift", "ShiftedExp" })
        {
            foreach (var width in Enum.GetValues<SimdWidth>())
                data.Add(op, width);
        }
        return data;
    }

    // Oracle: the operator's own scalar path. Tolerance |Δ| ≤ atol + rtol·|y|: exact for the piecewise-linear ops;
    // for the transcendental ones the vector Exp differs from MathF.Exp by a few ulp, and the vector Tanh uses its
    // own formula (rtol 2e-6, atol 1e-7 near 0).
    [Theory, MemberData(nameof(OpsAndWidths))]
    public void Op_matches_its_scalar_path_at_every_tail_length(string op, SimdWidth width)
    {
        foreach (var length in TestData.TailLengths)
        {
            var x = TestData.Uniform(length, min: -8, max: 8, seed: length);
            switch (op)
            {
                case "Relu": Check(default(ReluOp), x, width, 0, 0); break;
                case "Clip": Check(new ClipOp(-1.5f, 2.5f), x, width, 0, 0); break;
                case "LeakyRelu": Check(new LeakyReluOp(0.1f), x, width, 0, 0); break;
                case "Exp": Check(default(ExpOp), x, width, 2e-7f, 0); break;
                case "Sigmoid": Check(default(SigmoidOp), x, width, 4e-6f, 1e-7f); break;
                case "Tanh": Check(default(TanhOp), x, width, 2e-6f, 1e-7f); break;
                case "Erf": Check(default(ErfOp), x, width, 2e-6f, 1e-7f); break;
                case "Gelu": Check(default(GeluOp), x, width, 2e-6f, 1e-6f); break;
                case "FastGelu": Check(default(FastGeluOp), x, width, 2e-6f, 1e-7f); break;
                case "HardSigmoid": Check(new HardSigmoidOp(0.2f, 0.5f), x, width, 1e-7f, 1e-7f); break;
                case "ScaleShift": Check(new ScaleShiftOp(-0.75f, 0.25f), x, width, 0, 0); break;
                case "ShiftedExp": Check(new ShiftedExpOp(-3.5f), x, width, 2e-7f, 0); break;
                default: throw new ArgumentOutOfRangeException(nameof(op));
            }
        }
    }

    [Fact]
    public void Runs_in_place_when_input_and_output_are_the_same_span()
    {
        var x = TestData.Uniform(37, -4, 4, seed: 3);
        var expected = x.Select(v => default(SigmoidOp).Invoke(v)).ToArray();

        UnaryDriver.Run(x, default(SigmoidOp), SimdWidth.Vector256, x);

        for (var i = 0; i < x.Length; i++)
            Assert.Equal(expected[i], x[i], 4e-6f);
    }

    [Fact]
    public void Rejects_partially_overlapping_spans()
    {
        var buffer = new float[40];
        Assert.Throws<ShapeMismatchException>(() => UnaryDriver.Run<ReluOp>(buffer.AsSpan(0, 32), buffer.AsSpan(1, 32)));
    }

    public static TheoryData<SimdWidth> Widths() => new(Enum.GetValues<SimdWidth>());

    [Theory, MemberData(nameof(Widths))]
    public void Erf_is_within_3_2e7_of_double_precision_erf_and_within_3_ulp_below_one_half(SimdWidth width)
    {
        // Oracle: erf's Maclaurin series in double (ExactErf). Tolerance: the rational form's evaluation rounds to at
        // most 3.1e-7 (every float in [0.25, 4] checked once; 5 spacings of 6e-8 just below 1); below |x| = 0.5 the
        // error stays within 3 ulp relative.
        var x = Enumerable.Range(-60_000, 120_001).Select(i => i * 1e-4f).Concat([1e-3f, -3e-5f, 1e-20f, -1e-37f]).ToArray();
        var y = new float[x.Length];

        UnaryDriver.Run(x, default(ErfOp), width, y);

        for (var i = 0; i < x.Length; i++)
        {
            var expected = ExactErf(x[i]);
            var tolerance = Math.Abs(x[i]) < 0.5f ? 3 * 1.2e-7 * Math.Abs(expected) : 3.2e-7;
            Assert.True(Math.Abs(y[i] - expected) <= tolerance, $"erf({x[i]}) at {width} = {y[i]}, expected {expected}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Clamping_ops_agree_with_their_scalar_paths_on_nan_infinities_and_signed_zeros(SimdWidth width)
    {
        // Oracle: each op's scalar path, and the chosen NaN rule: Relu maps NaN to 0 (as ONNX Runtime's kernel does),
        // Clip and HardSigmoid pass it through. The vector paths use the native max/min, whose NaN result depends on
        // operand order, so a reordering by the JIT would show here.
        float[] x = [float.NaN, 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, 1e-40f, -1e-40f, 3f, -3f, 7f, float.NaN, -0.5f,
            float.NaN, 2f, -2f, 0.25f, float.NaN];
        AssertSameAsScalar(default(ReluOp));
        AssertSameAsScalar(new ClipOp(-1.5f, 2.5f));
        AssertSameAsScalar(new ClipOp(0f, 6f));
        AssertSameAsScalar(new HardSigmoidOp(0.2f, 0.5f));

        var relu = new float[x.Length];
        UnaryDriver.Run(x, default(ReluOp), width, relu);
        Assert.Equal(0f, relu[0]);
        var clip = new float[x.Length];
        UnaryDriver.Run(x, new ClipOp(0f, 6f), width, clip);
        Assert.True(float.IsNaN(clip[0]) && float.IsNaN(clip[16]), "Clip(NaN) = NaN");
        Assert.Equal([0f, 0f, 6f, 0f], clip[1..5]);

        void AssertSameAsScalar<T>(T op) where T : struct, IUnaryOp
        {
            var y = new float[x.Length];
            UnaryDriver.Run(x, op, width, y);
            for (var i = 0; i < x.Length; i++)
            {
                var expected = op.Invoke(x[i]);
                Assert.True(float.IsNaN(expected) ? float.IsNaN(y[i]) : expected == y[i], $"{typeof(T).Name}({x[i]}) = {y[i]}, scalar {expected}");
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Exp_passes_nan_through_caps_infinity_and_flushes_the_far_negative_side_to_zero(SimdWidth width)
    {
        // Oracle: ExpOp's documented range: NaN stays NaN, x is capped at 88 (e^88 ≈ 1.65e38, finite), below −87 exactly 0.
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 100f, -100f, 88f, -86f, 0f, float.NaN];
        var y = new float[x.Length];

        UnaryDriver.Run(x, default(ExpOp), width, y);

        Assert.True(float.IsNaN(y[0]) && float.IsNaN(y[8]), $"exp(NaN) = {y[0]}, {y[8]}");
        Assert.Equal(MathF.Exp(88f), y[1], MathF.Exp(88f) * 1e-6f);
        Assert.Equal(y[1], y[3]);
        Assert.Equal(y[1], y[5]);
        Assert.Equal([0f, 0f], [y[2], y[4]]);
        Assert.Equal(MathF.Exp(-86f), y[6], MathF.Exp(-86f) * 1e-6f);
        Assert.Equal(1f, y[7]);
    }

    [Theory, MemberData(nameof(Widths))]
    public void Erf_keeps_the_sign_of_zero_saturates_to_exactly_one_and_passes_nan_through(SimdWidth width)
    {
        // Oracle: erf's definition: odd, erf(±∞) = ±1, and 1 − erf(3.92) = 3e-8 rounds to 1 in float.
        float[] x = [0f, -0f, 3.92f, -4f, 10f, -1e30f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e-40f];
        var y = new float[x.Length];

        UnaryDriver.Run(x, default(ErfOp), width, y);

        Assert.Equal([0f, -0f, 1f, -1f, 1f, -1f, 1f, -1f], y[..8]);
        Assert.True(float.IsPositive(y[0]) && float.IsNegative(y[1]), "erf(±0) keeps the sign");
        Assert.True(float.IsNaN(y[8]), $"erf(NaN) = {y[8]}");
        Assert.Equal(1.1283791f * 1e-40f, y[9], 2 * float.Epsilon);
    }

    [Theory, MemberData(nameof(Widths))]
    public void Gelu_is_within_1_6e7_times_x_of_double_precision_gelu(SimdWidth width)
    {
        // Oracle: ½·x·(1 + erf(x/√2)) in double. Tolerance: erf's 3.2e-7 scaled by ½|x|, plus the float rounding of y.
        var x = Enumerable.Range(-80_000, 160_001).Select(i => i * 1e-4f).ToArray();
        var y = new float[x.Length];

        UnaryDriver.Run(x, default(GeluOp), width, y);

        for (var i = 0; i < x.Length; i++)
        {
            var expected = 0.5 * x[i] * (1 + ExactErf(x[i] / Math.Sqrt(2)));
            Assert.True(Math.Abs(y[i] - expected) <= 1.6e-7 * Math.Abs(x[i]) + 1.2e-7 * Math.Abs(expected),
                $"gelu({x[i]}) at {width} = {y[i]}, expected {expected}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void FastGelu_is_within_1e6_relative_of_the_double_precision_tanh_form_plus_its_argument_rounding(SimdWidth width)
    {
        // Oracle: x / (1 + e^−2z) in double, the same value as ½·x·(1 + tanh z) without its cancellation for x < 0.
        // Tolerance: ExpOp's 3e-7 relative error and three roundings, plus the float argument's rounding, which e^−2z
        // scales by |2z| (about 3 roundings of 6e-8 each).
        var x = Enumerable.Range(-10_000, 20_001).Select(i => i * 1e-3f).ToArray();
        var y = new float[x.Length];

        UnaryDriver.Run(x, default(FastGeluOp), width, y);

        for (var i = 0; i < x.Length; i++)
        {
            var z = 0.7978845608028654 * (x[i] + 0.044715 * x[i] * x[i] * x[i]);
            var expected = x[i] / (1 + Math.Exp(-2 * z));
            Assert.True(Math.Abs(y[i] - expected) <= (1e-6 + 2e-7 * Math.Abs(2 * z)) * Math.Abs(expected) + 1e-37, $"FastGelu({x[i]}) at {width} = {y[i]}, expected {expected}");
        }
    }

    [Fact]
    public void Exp_is_within_3e7_relative_of_double_precision_exp()
    {
        // Oracle: Math.Exp in double, over the whole unclamped range.
        for (var x = -87.0; x <= 88.0; x += 0.0137)
        {
            var expected = Math.Exp((float)x);
            var scalar = default(ExpOp).Invoke((float)x);
            var vector = default(ExpOp).Invoke(System.Runtime.Intrinsics.Vector256.Create((float)x))[0];
            Assert.True(Math.Abs(scalar - expected) <= 3e-7 * expected, $"scalar exp({x}) = {scalar}, expected {expected}");
            Assert.True(Math.Abs(vector - expected) <= 3e-7 * expected, $"vector exp({x}) = {vector}, expected {expected}");
        }
    }

    [Theory]
    [InlineData(-87.01f)]
    [InlineData(-100f)]
    [InlineData(-10000f)]
    [InlineData(float.NegativeInfinity)]
    public void Exp_flushes_results_below_e_to_the_minus_87_to_zero(float x)
    {
        // Oracle: e^x < 1.7e-38 there; zero rather than a subnormal keeps masked softmax weights exactly 0.
        Assert.Equal(0f, default(ExpOp).Invoke(x));
        Assert.Equal(0f, default(ExpOp).Invoke(System.Runtime.Intrinsics.Vector128.Create(x))[3]);
        Assert.Equal(0f, default(ExpOp).Invoke(System.Runtime.Intrinsics.Vector256.Create(x))[7]);
        Assert.Equal(0f, default(ExpOp).Invoke(System.Runtime.Intrinsics.Vector512.Create(x))[15]);
    }

    /// <summary>erf in double: the Maclaurin series up to |x| = 4 (cancellation costs under 1e-11 there), ±1 beyond (erfc 4 = 1.5e-8).</summary>
    static double ExactErf(double x)
    {
        if (Math.Abs(x) > 4)
            return Math.Sign(x);
        double sum = 0, term = x;
        for (var n = 0; n < 200; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    static void Check<TOp>(TOp op, float[] x, SimdWidth width, float rtol, float atol)
        where TOp : struct, IUnaryOp
    {
        var y = new float[x.Length];
        UnaryDriver.Run(x, op, width, y);
        for (var i = 0; i < x.Length; i++)
        {
            var expected = op.Invoke(x[i]);
            Assert.True(MathF.Abs(expected - y[i]) <= atol + rtol * MathF.Abs(expected),
                $"{typeof(TOp).Name} at {width}, length {x.Length}, index {i}: x = {x[i]}, expected {expected}, got {y[i]}");
        }
    }
}
