using OnnxFuse.Engine.Simd;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Tests.Simd;

public sealed class UnaryDriverTests
{
    public static TheoryData<string, SimdWidth> OpsAndWidths()
    {
        var data = new TheoryData<string, SimdWidth>();
        foreach (var op in new[] { "Relu", "Clip", "LeakyRelu", "Exp", "Sigmoid", "Tanh", "Erf", "Gelu", "HardSigmoid", "ScaleShift", "ShiftedExp" })
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

    [Fact]
    public void Erf_is_within_2e7_of_the_double_precision_series()
    {
        // Oracle: Maclaurin series of erf in double for |x| ≤ 3, erfc asymptotics are not needed there.
        for (var x = -3.0; x <= 3.0; x += 0.01)
        {
            var expected = ErfSeries(x);
            Assert.Equal(expected, default(ErfOp).Invoke((float)x), 2.5e-7);
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

    static double ErfSeries(double x)
    {
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
