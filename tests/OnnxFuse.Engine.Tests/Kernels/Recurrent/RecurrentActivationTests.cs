using OnnxFuse.Engine.Kernels.Recurrent;

namespace OnnxFuse.Engine.Tests.Kernels.Recurrent;

public sealed class RecurrentActivationTests
{
    public static TheoryData<string> Kinds => [.. Enum.GetNames<RecurrentActivationKind>()];

    // Oracle: the activation's scalar definition. Tolerance: the vector Exp and Tanh differ from MathF by a few ulp
    // (rtol 4e-6, atol 1e-7), the rest agree exactly up to rounding.
    [Theory, MemberData(nameof(Kinds))]
    public void Apply_matches_the_scalar_definition_at_every_tail_length(string kind)
    {
        var activation = new RecurrentActivation(Enum.Parse<RecurrentActivationKind>(kind), 0.7f, 0.3f);
        foreach (var length in TestData.TailLengths)
        {
            var x = TestData.Uniform(length, min: -6, max: 6, seed: length);
            var y = new float[length];

            activation.Apply(x, y);

            for (var i = 0; i < length; i++)
            {
                var expected = activation.Invoke(x[i]);
                Assert.True(Math.Abs(expected - y[i]) <= 1e-7f + 4e-6f * Math.Abs(expected), $"{kind} at {i} of {length}: {expected} vs {y[i]}");
            }
        }
    }

    [Fact]
    public void Parse_takes_alpha_and_beta_in_order_only_for_functions_that_have_them()
    {
        float[] alphas = [0.1f, 0.2f];
        float[] betas = [0.3f];
        var (alphaIndex, betaIndex) = (0, 0);

        var first = RecurrentActivation.Parse("sigmoid", alphas, ref alphaIndex, betas, ref betaIndex);
        var second = RecurrentActivation.Parse("LeakyRelu", alphas, ref alphaIndex, betas, ref betaIndex);
        var third = RecurrentActivation.Parse("HARDSIGMOID", alphas, ref alphaIndex, betas, ref betaIndex);
        var fourth = RecurrentActivation.Parse("Elu", alphas, ref alphaIndex, betas, ref betaIndex);

        Assert.Equal(new RecurrentActivation(RecurrentActivationKind.Sigmoid), first);
        Assert.Equal(new RecurrentActivation(RecurrentActivationKind.LeakyRelu, 0.1f), second);
        Assert.Equal(new RecurrentActivation(RecurrentActivationKind.HardSigmoid, 0.2f, 0.3f), third);
        Assert.Equal(new RecurrentActivation(RecurrentActivationKind.Elu, 1f), fourth);
        Assert.Null(RecurrentActivation.Parse("Swish", alphas, ref alphaIndex, betas, ref betaIndex));
    }
}
