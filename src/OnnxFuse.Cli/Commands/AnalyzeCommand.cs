using System.CommandLine;
using System.Globalization;
using OnnxFuse.Onnx;
using OnnxFuse.Passes;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime.Optimization;
using Spectre.Console;

namespace OnnxFuse.Cli.Commands;

/// <summary>
/// <c>onnxfuse analyze MODEL [--json] [--level L] [--patterns a,b] [--disable a,b] [--standard-only]</c>: the fusion
/// opportunities that matching alone finds (nothing is rewritten), one row per match, with the nodes it covers.
/// </summary>
static class AnalyzeCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx file to analyze" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of a table" };
        var selection = new OptimizerSelection();

        var command = new Command("analyze", "List layer-fusion opportunities in a model, without rewriting it") { model, json };
        foreach (var option in selection.All)
            command.Options.Add(option);
        command.SetAction(parse => CliRunner.Run(parse, console =>
        {
            var file = parse.GetRequiredValue(model);
            var found = Optimizer.Analyze(ModelFile.Load(file.FullName), selection.Read(parse, EngineConstantEvaluator.Instance));
            if (parse.GetValue(json))
            {
                console.Writer.WriteLine(Opportunity.ToJson(found));
                return;
            }
            if (found.Count == 0)
            {
                console.Line($"{file.Name}: no fusion opportunities at this level");
                return;
            }
            var table = new Table().Title($"Fusion opportunities in {Markup.Escape(file.Name)}")
                .AddColumn("pattern").AddColumn("graph").AddColumn("nodes").AddColumn(new TableColumn("saves").RightAligned());
            foreach (var opportunity in found)
                table.AddRow(opportunity.Pattern, Markup.Escape(opportunity.GraphPath), Markup.Escape(Nodes(opportunity.Nodes)),
                    opportunity.NodesSaved.ToString(CultureInfo.InvariantCulture));
            console.Out.Write(table);
            var byPattern = found.GroupBy(o => o.Pattern).Select(g => $"{g.Key} ×{g.Count()}");
            console.Line($"{found.Count} opportunities ({string.Join(", ", byPattern)}), up to {found.Sum(o => o.NodesSaved)} nodes fewer. "
                + "Chained fusions (e.g. conv-activation after conv-batchnorm) appear once their first step is applied: see `optimize`.");
        }));
        return command;
    }

    /// <summary>The first and last node of a long match, as "first … last (n nodes)".</summary>
    static string Nodes(IReadOnlyList<NodeRef> nodes) =>
        nodes.Count <= 3 ? string.Join(", ", nodes) : $"{nodes[0]} … {nodes[^1]} ({nodes.Count} nodes)";
}
