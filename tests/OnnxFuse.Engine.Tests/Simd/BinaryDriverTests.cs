using OnnxFuse.Engine.Simd;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Tests.Simd;

public sealed class BinaryDriverTests
{
    public static TheoryData<SimdWidth> Widths() => new(Enum.GetValues<SimdWidth>());

    // Oracle: the operator's scalar path; +, −, ×, ÷ are correctly rounded at every width, so results are exact.
    [Theory, MemberData(nameof(Widths))]
    public void Arithmetic_matches_scalar_path_at_every_tail_length_for_span_and_scalar_operands(SimdWidth width)
    {
        foreach (var length in TestData.TailLengths)
        {
            var x = TestData.Uniform(length, -8, 8, seed: length);
            var y = TestData.Uniform(length, 0.5f, 8, seed: length + 1000);
            Check(default(AddOp), x, y, width);
            Check(default(SubtractOp), x, y, width);
            Check(default(MultiplyOp), x, y, width);
            Check(default(DivideOp), x, y, width);
        }
    }

    [Fact]
    public void Rejects_operands_of_different_lengths()
    {
        Assert.Throws<ShapeMismatchException>(() => BinaryDriver.Run<AddOp>(new float[3], new float[4], new float[4]));
    }

    static void Check<TOp>(TOp op, float[] x, float[] y, SimdWidth width)
        where TOp : struct, IBinaryOp
    {
        var z = new float[x.Length];
        BinaryDriver.Run(x, y, op, width, z);
        for (var i = 0; i < x.Length; i++)
            Assert.Equal(op.Invoke(x[i], y[i]), z[i]);

        BinaryDriver.Run(x, 1.75f, op, width, z);
        for (var i = 0; i < x.Length; i++)
            Assert.Equal(op.Invoke(x[i], 1.75f), z[i]);
    }
}
