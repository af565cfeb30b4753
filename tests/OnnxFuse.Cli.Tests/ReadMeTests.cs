using System.Text.RegularExpressions;
using OnnxFuse.Testing;

namespace OnnxFuse.Cli.Tests;

/// <summary>README.md promises: two set-up commands, CI running the same test command, and every verb documented.</summary>
public sealed partial class ReadMeTests
{
    static readonly string s_readMe = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));

    [Fact]
    public void The_set_up_section_holds_exactly_the_demo_and_test_commands()
    {
        var setUp = s_readMe[s_readMe.IndexOf("## Set-up", StringComparison.Ordinal)..];
        setUp = setUp[..setUp.IndexOf("\n## ", 3, StringComparison.Ordinal)];

        var commands = ShellBlock().Matches(setUp).Select(m => m.Groups[1].Value.Trim()).ToList();

        Assert.Equal(["./build.sh demo", "./build.sh test"], commands);
    }

    [Fact]
    public void Ci_runs_the_readme_test_command()
    {
        var ci = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, ".ci", "run"));

        Assert.Contains("./build.sh test", ci, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_verb_of_the_tool_is_documented_and_every_documented_verb_exists()
    {
        var documented = DocumentedVerb().Matches(s_readMe).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var actual = OnnxFuseCli.CreateRootCommand().Subcommands.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(actual.Order(), documented.Order());
    }

    [GeneratedRegex("```sh\\n([^`]*)```")]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"^\| `onnxfuse (\w+)", RegexOptions.Multiline)]
    private static partial Regex DocumentedVerb();
}
