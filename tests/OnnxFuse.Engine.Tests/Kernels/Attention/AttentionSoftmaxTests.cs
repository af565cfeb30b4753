using OnnxFuse.Engine.Kernels.Attention;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Tests.Kernels.Attention;

/// <summary>The fused mask-add-softmax row against its scalar path and against softmax in double precision.</summary>
public sealed class AttentionSoftmaxTests
{
    public static IEnumerable<object[]> Lengths => TestData.TailLengths.Where(n => n > 0).Select(n => new object[] { n });

    static (float[] Scores, float[] Mask, float[] Bias) Row(int length, int seed)
    {
        var random = new Random(seed);
        var mask = Enumerable.Range(0, length).Select(i => i > 0 && random.Next(4) == 0 ? -10000f : 0f).ToArray();
        return (TestData.Uniform(length, -20, 20, seed), mask, TestData.Uniform(length, -3, 3, seed + 1));
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Vector256_path_matches_the_scalar_path_at_every_tail_length(int length)
    {
        var (scores, mask, bias) = Row(length, length);
        var scalar = scores.ToArray();
        var vector = scores.ToArray();

        AttentionSoftmax.RunScalar(scalar, mask, bias);
        AttentionSoftmax.Run(vector, mask, bias, SimdWidth.Vector256);

        // Oracle: the scalar path. The two differ only in the order of the float sum, by up to ~2e-6 at 4099 terms.
        Numerics.AssertClose(scalar, vector, rtol: 1e-5f, atol: 1e-9f);
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Matches_softmax_in_double_precision(int length)
    {
        var (scores, mask, bias) = Row(length, 7 * length);
        var expected = new float[length];
        var shifted = scores.Select((s, i) => (double)s + mask[i] + bias[i]).ToArray();
        var max = shifted.Max();
        var sum = shifted.Sum(x => Math.Exp(x - max));
        for (var i = 0; i < length; i++)
            expected[i] = (float)(Math.Exp(shifted[i] - max) / sum);

        AttentionSoftmax.Run(scores, mask, bias);

        // ExpOp's 3e-7 plus the float sum's rounding over up to 4099 terms.
        Numerics.AssertClose(expected, scores, rtol: 1e-5f, atol: 1e-9f);
    }

    [Fact]
    public void Masked_scores_weigh_exactly_zero()
    {
        float[] scores = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        float[] mask = [0, -10000, 0, -10000, 0, 0, 0, 0, -10000];

        AttentionSoftmax.Run(scores, mask, []);

        Assert.Equal(0f, scores[1]);
        Assert.Equal(0f, scores[3]);
        Assert.Equal(0f, scores[8]);
    }
}
