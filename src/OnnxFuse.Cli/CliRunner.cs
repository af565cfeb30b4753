using System.CommandLine;
using OnnxFuse.Cli.Terminal;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Cli;

/// <summary>
/// Runs a command body and turns failures into one red line and a documented exit code
/// (<see cref="ExitCodes"/>); the stack trace is printed only with --verbose.
/// </summary>
static class CliRunner
{
    public static int Run(ParseResult parse, Action<CliConsole> body)
    {
        var console = new CliConsole(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        var verbose = parse.GetValue(OnnxFuseCli.Verbose);
        try
        {
            body(console);
            return ExitCodes.Success;
        }
        catch (OnnxFuseException e)
        {
            console.Failure(e.Message);
            if (verbose)
                console.Detail(e.ToString());
            return e switch
            {
                UnsupportedOpException => ExitCodes.Unsupported,
                BudgetExceededException => ExitCodes.BudgetExceeded,
                _ => ExitCodes.InvalidInput,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.Failure(e.Message);
            if (verbose)
                console.Detail(e.ToString());
            return ExitCodes.InvalidInput;
        }
#pragma warning disable CA1031 // The CLI's last line of defence: every other failure is a bug, reported as one.
        catch (Exception e)
#pragma warning restore CA1031
        {
            console.Failure($"internal error: {e.GetType().Name}: {e.Message}{(verbose ? "" : " (run with --verbose for details)")}");
            if (verbose)
                console.Detail(e.ToString());
            return ExitCodes.InternalError;
        }
    }
}
