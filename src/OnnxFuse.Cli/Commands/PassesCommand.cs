using System.CommandLine;
using OnnxFuse.Passes;
using Spectre.Console;

namespace OnnxFuse.Cli.Commands;

/// <summary><c>onnxfuse passes</c>: every layer-fusion pass in running order, with its level and what it rewrites.</summary>
static class PassesCommand
{
    public static Command Create()
    {
        var command = new Command("passes", "List the layer-fusion passes (names for --patterns and --disable), their levels and what they do");
        command.SetAction(parse => CliRunner.Run(parse, console =>
        {
            var table = new Table().Title("Layer-fusion passes, in running order").AddColumn("pass").AddColumn("level").AddColumn("rewrites");
            foreach (var pass in Optimizer.Passes)
                table.AddRow(pass.Name, pass.Level.ToString().ToLowerInvariant(), Markup.Escape(pass.Summary));
            console.Out.Write(table);
        }));
        return command;
    }
}
