using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Runtime.Tests;

public sealed class ExecutionTargetsTests
{
    [Theory]
    [InlineData("managed", ExecutionTarget.Managed)]
    [InlineData(" OnnxRuntime ", ExecutionTarget.OnnxRuntime)]
    [InlineData("ort", ExecutionTarget.OnnxRuntime)]
    public void Names_parse_case_insensitively(string text, ExecutionTarget expected) =>
        Assert.Equal(expected, ExecutionTargets.Parse(text));

    [Fact]
    public void Every_target_name_parses_back_to_its_target()
    {
        foreach (var target in Enum.GetValues<ExecutionTarget>())
            Assert.Equal(target, ExecutionTargets.Parse(target.Name()));
    }

    [Fact]
    public void An_unknown_name_lists_the_valid_ones()
    {
        var error = Assert.Throws<OnnxFuseException>(() => ExecutionTargets.Parse("gpu"));

        Assert.Contains("'gpu'", error.Message, StringComparison.Ordinal);
        Assert.Contains("managed or onnxruntime", error.Message, StringComparison.Ordinal);
    }
}
