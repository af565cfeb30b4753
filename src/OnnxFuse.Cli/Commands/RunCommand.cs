using System.CommandLine;
using System.Globalization;
using OnnxFuse.Cli.Inspection;
using OnnxFuse.Cli.Terminal;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Runtime;
using Spectre.Console;

namespace OnnxFuse.Cli.Commands;

/// <summary>
/// <c>onnxfuse run MODEL [--target T] [--threads N] [--input NAME=FILE]... [--inputs DIR] [--random] [--outputs DIR]</c>:
/// runs a model once and prints each output's shape and min/max/mean. The managed engine applies layer fusion when it
/// loads the model (<c>--managed-optimization</c>, default <c>all</c>), as ONNX Runtime applies its graph optimizations.
/// </summary>
static class RunCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx file to run" };
        var target = TargetOptions.Targets("managed");
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (default: every core)" };
        var input = new Option<string[]>("--input")
        {
            Description = "An input as NAME=FILE (.npy or ONNX TensorProto .pb); repeat for several",
            AllowMultipleArgumentsPerToken = false,
        };
        var inputs = new Option<DirectoryInfo>("--inputs") { Description = "Folder of input_0.pb, input_1.pb… in graph-input order" };
        var random = new Option<bool>("--random") { Description = "Fill inputs not given with seeded random data" };
        var seed = new Option<int>("--seed") { Description = "Seed for --random", DefaultValueFactory = _ => 1 };
        var outputs = new Option<DirectoryInfo>("--outputs") { Description = "Write output_0.pb, output_1.pb… (ONNX TensorProto) here" };
        var managedLevel = TargetOptions.ManagedOptimization(
            "Layer fusion the managed engine applies when it loads the model: disabled (the graph as written), basic, extended, all");
        var modelIndex = new Option<int?>("--model-index")
        {
            Description = "For a switched fused model: run model I only (sets the index input; inputs and outputs are that model's)",
        };

        var command = new Command("run", "Run a model once on a target and summarize its outputs")
        {
            model, target, threads, input, inputs, random, seed, outputs, managedLevel, modelIndex,
        };
        command.SetAction(parse => CliRunner.Run(parse, console =>
        {
            var path = parse.GetRequiredValue(model).FullName;
            var targets = TargetOptions.ParseTargets(parse.GetRequiredValue(target));
            if (targets.Count != 1)
                throw new OnnxFuseException("run takes one --target (use bench to compare targets)");
            var options = new RunnerOptions
            {
                Target = targets[0],
                ThreadCount = parse.GetValue(threads),
                ManagedOptimization = TargetOptions.ParseManagedLevel(parse.GetRequiredValue(managedLevel), "run"),
            };
            ModelFile.CheckReadable(path);
            var selection = parse.GetValue(modelIndex) is { } index ? SwitchedSelection.Of(ModelFile.Load(path), index) : null;
            using var runner = ModelRunner.Load(path, options);

            var modelInputs = selection is null ? runner.Inputs : [.. runner.Inputs.Where(i => selection.InputNames.Contains(i.Name))];
            var feeds = GatherInputs(runner, modelInputs, parse.GetValue(input) ?? [], parse.GetValue(inputs), parse.GetValue(random), parse.GetValue(seed));
            if (selection is not null)
                feeds[selection.IndexName] = TensorData.Scalar((long)selection.Index);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var results = runner.Run(feeds);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);

            var shown = selection is null
                ? [.. Enumerable.Range(0, results.Count)]
                : runner.Outputs.Select((o, i) => (o, i)).Where(p => selection.OutputNames.Contains(p.o.Name)).Select(p => p.i).ToArray();
            var shownDescriptions = shown.Select(i => runner.Outputs[i]).ToList();
            var shownResults = shown.Select(i => results[i]).ToList();
            Print(console, runner.Target, shownDescriptions, shownResults, elapsed);
            if (parse.GetValue(outputs) is { } folder)
            {
                TensorFiles.SaveOutputFolder(folder.FullName, shownDescriptions, shownResults);
                console.Success($"wrote {shownResults.Count} output{(shownResults.Count == 1 ? "" : "s")} to {folder.FullName}");
            }
        }));
        return command;
    }

    /// <summary>Inputs from --inputs, --input and --random for <paramref name="required"/> (the inputs that must be fed).</summary>
    static Dictionary<string, TensorData> GatherInputs(ModelRunner runner, IReadOnlyList<ValueDescription> required, string[] pairs,
        DirectoryInfo? folder, bool random, int seed)
    {
        var feeds = folder is null
            ? new Dictionary<string, TensorData>(StringComparer.Ordinal)
            : TensorFiles.LoadInputFolder(folder.FullName, required);
        foreach (var pair in pairs)
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
                throw new OnnxFuseException($"--input '{pair}': expected NAME=FILE");
            var name = pair[..split];
            if (!runner.Inputs.Any(i => i.Name == name))
                throw new OnnxFuseException($"--input '{pair}': the model has no input '{name}' (inputs: {string.Join(", ", runner.Inputs.Select(i => i.Name))})");
            feeds[name] = TensorFiles.Load(pair[(split + 1)..]);
        }
        var missing = required.Where(i => !feeds.ContainsKey(i.Name) && !i.HasDefault).ToList();
        if (missing.Count > 0 && !random)
            throw new OnnxFuseException($"no data for input{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}; give --input NAME=FILE, --inputs DIR, or --random");
        for (var i = 0; i < missing.Count; i++)
            feeds[missing[i].Name] = RandomTensors.For(missing[i], seed + i);
        return feeds;
    }

    static void Print(CliConsole console, ExecutionTarget target, List<ValueDescription> outputs, List<TensorData> results, TimeSpan elapsed)
    {
        var table = new Table().Title($"Outputs ({target.Name()}, {elapsed.TotalMilliseconds:F2} ms including first-run planning)")
            .AddColumn("name").AddColumn("type").AddColumn("shape")
            .AddColumn(new TableColumn("min").RightAligned()).AddColumn(new TableColumn("max").RightAligned()).AddColumn(new TableColumn("mean").RightAligned());
        for (var i = 0; i < results.Count; i++)
        {
            var stats = TensorStatistics.Of(results[i]);
            table.AddRow(
                Markup.Escape(outputs[i].Name),
                results[i].ElementType.DisplayName(),
                $"[[{string.Join(", ", results[i].Dims)}]]",
                Format(stats?.Min), Format(stats?.Max), Format(stats?.Mean));
        }
        console.Out.Write(table);
    }

    static string Format(double? value) => value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "-";
}
