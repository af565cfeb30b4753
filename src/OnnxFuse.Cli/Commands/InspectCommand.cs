using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OnnxFuse.Cli.Inspection;
using OnnxFuse.Cli.Terminal;
using OnnxFuse.Onnx;
using Spectre.Console;

namespace OnnxFuse.Cli.Commands;

/// <summary><c>onnxfuse inspect MODEL [--json]</c>: versions, producer, inputs/outputs, op histogram, parameters, metadata.</summary>
static class InspectCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx file to describe" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of tables" };

        var command = new Command("inspect", "Describe an ONNX model: versions, inputs and outputs, operators, parameters, metadata")
        {
            model,
            json,
        };
        command.SetAction(parse => CliRunner.Run(parse, console =>
        {
            var file = parse.GetRequiredValue(model);
            var summary = ModelSummary.Of(ModelFile.Load(file.FullName), file.Name);
            if (parse.GetValue(json))
                console.Writer.WriteLine(JsonSerializer.Serialize(summary, ModelSummaryJson.Default.ModelSummary));
            else
                Print(console, summary);
        }));
        return command;
    }

    static void Print(CliConsole console, ModelSummary summary)
    {
        var opsets = string.Join(", ", summary.Opsets.Select(p => $"{p.Key} {p.Value}"));
        console.Out.Write(new Rule($"[bold]{Markup.Escape(summary.File)}[/]").LeftJustified());
        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow("IR version", summary.IrVersion.ToString(CultureInfo.InvariantCulture));
        facts.AddRow("Opsets", Markup.Escape(opsets));
        facts.AddRow("Producer", Markup.Escape(summary.Producer.Length == 0 ? "-" : summary.Producer));
        facts.AddRow("Nodes", summary.SubgraphNodeCount == 0
            ? Count(summary.NodeCount)
            : $"{Count(summary.NodeCount)} (+{Count(summary.SubgraphNodeCount)} in subgraphs)");
        facts.AddRow("Parameters", $"{Count(summary.ParameterCount)} ({Bytes(summary.ParameterBytes)})");
        facts.AddRow("Validation", summary.Problems.Count == 0
            ? "[green]valid[/]"
            : $"[yellow]{summary.Problems.Count} problem{(summary.Problems.Count == 1 ? "" : "s")}[/]");
        console.Out.Write(facts);

        console.Out.Write(ValueTable("Inputs", summary.Inputs));
        console.Out.Write(ValueTable("Outputs", summary.Outputs));

        var ops = new Table().Title("Operators").AddColumn("op type").AddColumn(new TableColumn("count").RightAligned());
        foreach (var (op, count) in summary.OpTypes)
            ops.AddRow(Markup.Escape(op), Count(count));
        console.Out.Write(ops);

        if (summary.Fusion is { } fusion)
            console.Out.Write(FusionTable(fusion));

        foreach (var problem in summary.Problems)
            console.Out.MarkupLine($"[yellow]  {Markup.Escape(problem)}[/]");

        if (summary.Metadata.Count > 0)
        {
            var metadata = new Table().Title("Metadata").AddColumn("key").AddColumn("value");
            foreach (var (key, value) in summary.Metadata)
                metadata.AddRow(Markup.Escape(key), Markup.Escape(value.Length > 120 ? value[..117] + "..." : value));
            console.Out.Write(metadata);
        }
    }

    /// <summary>One row per fused model: its index, interface names (fused ← original) and memory figures.</summary>
    static Table FusionTable(Compose.FusionMetadata fusion)
    {
        var title = fusion.IndexName is null
            ? $"Fused models ({fusion.Mode})"
            : $"Fused models ({fusion.Mode}, index input '{fusion.IndexName}')";
        var table = new Table().Title(Markup.Escape(title))
            .AddColumn(new TableColumn("index").RightAligned()).AddColumn("model").AddColumn("inputs").AddColumn("outputs")
            .AddColumn(new TableColumn("weights").RightAligned()).AddColumn(new TableColumn("activations").RightAligned());
        static string Names(IReadOnlyList<Compose.FusedName> names) =>
            string.Join("\n", names.Select(n => n.Name == n.OriginalName ? n.Name : $"{n.Name} ← {n.OriginalName}"));
        foreach (var model in fusion.Models)
            table.AddRow(model.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(model.Name), Markup.Escape(Names(model.Inputs)),
                Markup.Escape(Names(model.Outputs)), Bytes(model.WeightBytes), Bytes(model.PeakActivationBytes));
        table.Caption(Markup.Escape($"estimated need {Bytes(fusion.EstimatedBytes)}: weights {Bytes(fusion.WeightBytes)} (deduplicated) + activations {Bytes(fusion.PeakActivationBytes)}"));
        return table;
    }

    static Table ValueTable(string title, IReadOnlyList<ValueSummary> values)
    {
        var table = new Table().Title(title).AddColumn("name").AddColumn("type").AddColumn("shape");
        foreach (var value in values)
            table.AddRow(Markup.Escape(value.Name + (value.HasDefault ? " (optional: has a default)" : "")), value.Type, Markup.Escape(value.ShapeText));
        return table;
    }

    static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.00} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.00} MiB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.0} KiB",
        _ => $"{bytes} B",
    };
}
