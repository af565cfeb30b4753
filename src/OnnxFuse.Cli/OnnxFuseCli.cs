using System.CommandLine;
using OnnxFuse.Cli.Commands;

namespace OnnxFuse.Cli;

/// <summary>The root command and its verbs. Tests call <see cref="Run"/> with string writers.</summary>
public static class OnnxFuseCli
{
    /// <summary>Print the full exception with its stack trace when a command fails.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Print the full error, with its stack trace, when a command fails",
        Recursive = true,
    };

    public static RootCommand CreateRootCommand() =>
        new("OnnxFuse: fuse, optimize, run and verify ONNX models")
        {
            Verbose,
            InspectCommand.Create(),
            RunCommand.Create(),
            BenchCommand.Create(),
            ProfileCommand.Create(),
            FuseCommand.Create(),
            AnalyzeCommand.Create(),
            OptimizeCommand.Create(),
            QuantizeCommand.Create(),
            PassesCommand.Create(),
        };

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var parse = CreateRootCommand().Parse(args);
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }
}
