using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on both targets; tolerance rtol 1e-4, atol 1e-5 (inputs uniform in [-1, 1) scaled by 5).</summary>
public sealed class HardSwishFusionTests
{
    /// <summary>How the written-out HardSwish is spelled: operand orders, where the division sits, Div or Mul by ⅙.</summary>
    public enum Spelling
    {
        XPlusThreeThenDivide,
        ThreePlusXClipTimesXThenMultiplySixth,
        ClipDividedFirstThenTimesX,
        ClipTimesSixthFirstThenXTimes,
        HardSigmoidTimesX,
        XTimesHardSigmoid,
    }

    /// <summary>x[2,3,4] · 5 = s → written-out HardSwish(s) → y; <paramref name="three"/>, <paramref name="six"/> and the Clip bounds may be off.</summary>
    static Model WrittenOut(Spelling spelling, long opset = 14, float three = 3f, float six = 6f, float clipMax = 6f, bool sideReader = false)
    {
        var b = new GraphBuilder(opset);
        var s = b.Node("Mul", [b.Input("x", ElementType.Float, 2, 3, 4), Scalar(b, "five", 5f)]);
        Value Relu6(bool threeFirst)
        {
            var shifted = b.Node("Add", threeFirst ? [Scalar(b, "three", three), s] : [s, Scalar(b, "three", three)]);
            var clipped = b.Node("Clip", [shifted, Scalar(b, "zero", 0f), Scalar(b, "six_max", clipMax)]);
            if (sideReader)
                b.Output(b.Node("Relu", [clipped]), "side");
            return clipped;
        }
        Value HardSigmoid() => b.Node("HardSigmoid", [s], Attr.Float("alpha", 1f / 6), Attr.Float("beta", 0.5f));
        var y = spelling switch
        {
            Spelling.XPlusThreeThenDivide => b.Node("Div", [b.Node("Mul", [s, Relu6(false)]), Scalar(b, "six", six)]),
            Spelling.ThreePlusXClipTimesXThenMultiplySixth => b.Node("Mul", [Scalar(b, "sixth", 1f / six), b.Node("Mul", [Relu6(true), s])]),
            Spelling.ClipDividedFirstThenTimesX => b.Node("Mul", [b.Node("Div", [Relu6(false), Scalar(b, "six", six)]), s]),
            Spelling.ClipTimesSixthFirstThenXTimes => b.Node("Mul", [s, b.Node("Mul", [Relu6(true), Scalar(b, "sixth", 1f / six)])]),
            Spelling.HardSigmoidTimesX => b.Node("Mul", [HardSigmoid(), s]),
            _ => b.Node("Mul", [s, HardSigmoid()]),
        };
        b.Output(y, "y");
        return b.Build();
    }

    static Value Scalar(GraphBuilder b, string name, float value) => b.Initializer(name, TensorData.Scalar(value));

    [Theory]
    [InlineData(Spelling.XPlusThreeThenDivide)]
    [InlineData(Spelling.ThreePlusXClipTimesXThenMultiplySixth)]
    [InlineData(Spelling.ClipDividedFirstThenTimesX)]
    [InlineData(Spelling.ClipTimesSixthFirstThenXTimes)]
    [InlineData(Spelling.HardSigmoidTimesX)]
    [InlineData(Spelling.XTimesHardSigmoid)]
    public void Replaces_every_spelling_by_one_hardswish(Spelling spelling)
    {
        var original = WrittenOut(spelling);

        var (fused, report) = PassTester.Run(original, new HardSwishFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Mul", "HardSwish"], PassTester.OpTypes(fused));
        Assert.Equal("y", fused.Graph.Outputs[0].Name);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Fact]
    public void Leaves_models_before_opset_14_alone()
    {
        var (_, report) = PassTester.Run(WrittenOut(Spelling.XTimesHardSigmoid, opset: 13), new HardSwishFusion());

        Assert.Empty(report.Applied);
    }

    [Theory]
    [InlineData(2f, 6f, 6f)]
    [InlineData(3f, 5f, 6f)]
    [InlineData(3f, 6f, 5f)]
    public void Leaves_near_misses_with_other_constants(float three, float six, float clipMax)
    {
        var (_, report) = PassTester.Run(WrittenOut(Spelling.XPlusThreeThenDivide, three: three, six: six, clipMax: clipMax), new HardSwishFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_pattern_alone_when_the_clip_output_has_a_second_reader()
    {
        var (_, report) = PassTester.Run(WrittenOut(Spelling.ClipDividedFirstThenTimesX, sideReader: true), new HardSwishFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_product_with_another_value_than_the_clipped_one()
    {
        var b = new GraphBuilder(opset: 14);
        var x = b.Input("x", ElementType.Float, 4);
        var other = b.Input("other", ElementType.Float, 4);
        var clipped = b.Node("Clip", [b.Node("Add", [x, Scalar(b, "three", 3f)]), Scalar(b, "zero", 0f), Scalar(b, "six_max", 6f)]);
        b.Output(b.Node("Div", [b.Node("Mul", [other, clipped]), Scalar(b, "six", 6f)]), "y");

        var (_, report) = PassTester.Run(b.Build(), new HardSwishFusion());

        Assert.Empty(report.Applied);
    }
}
