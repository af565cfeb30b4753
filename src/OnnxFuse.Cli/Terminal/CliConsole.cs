using Spectre.Console;

namespace OnnxFuse.Cli.Terminal;

/// <summary>
/// Where a command writes: Spectre.Console for tables and colour on standard output, plain lines for errors.
/// Colour is used only when the writer is a terminal, so tests and pipes see plain text.
/// </summary>
sealed class CliConsole
{
    readonly TextWriter _error;

    public CliConsole(TextWriter output, TextWriter error)
    {
        _error = error;
        Writer = output;
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        Out = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!interactive)
            Out.Profile.Width = 160;
    }

    /// <summary>Spectre console over standard output, for tables.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>The raw standard-output writer, for JSON.</summary>
    public TextWriter Writer { get; }

    public void Line(string text) => Out.WriteLine(text);

    public void Success(string text) => Out.MarkupLine($"[green]{Markup.Escape(text)}[/]");

    public void Failure(string message) => _error.WriteLine($"error: {message}");

    public void Detail(string text) => _error.WriteLine(text);
}
