namespace OnnxFuse.Cli.Tests;

/// <summary>What one in-process run of the onnxfuse root command printed and returned.</summary>
sealed record CliResult(int ExitCode, string Output, string Error)
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = OnnxFuseCli.Run(args, output, error);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
