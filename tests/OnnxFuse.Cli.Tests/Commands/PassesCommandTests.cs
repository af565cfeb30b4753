using System.Text.RegularExpressions;
using OnnxFuse.Passes;

namespace OnnxFuse.Cli.Tests.Commands;

public sealed class PassesCommandTests
{
    [Fact]
    public void Passes_lists_every_pass_with_its_level_in_running_order()
    {
        var result = CliResult.Run("passes");

        Assert.Equal(0, result.ExitCode);
        var positions = Optimizer.Passes.Select(p => result.Output.IndexOf($"│ {p.Name} ", StringComparison.Ordinal)).ToList();
        Assert.All(positions, position => Assert.True(position >= 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Matches(new Regex(@"│ conv-batchnorm +│ basic +│"), result.Output);
        Assert.Matches(new Regex(@"│ attention +│ all +│"), result.Output);
    }
}
