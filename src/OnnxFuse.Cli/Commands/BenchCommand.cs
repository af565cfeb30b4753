using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OnnxFuse.Cli.Inspection;
using OnnxFuse.Cli.Terminal;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Ort;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime;
using OnnxFuse.Runtime.Benchmarking;
using Spectre.Console;

namespace OnnxFuse.Cli.Commands;

/// <summary>
/// <c>onnxfuse bench MODEL [MODEL…] [--target managed,onnxruntime] [--threads 1,2] [--runs N] [--json]</c>:
/// median, p10 and p90 latency per model, target and thread count, measured in one run with the same inputs,
/// with the ratios that matter: managed ÷ onnxruntime, and each model ÷ the first (e.g. optimized ÷ original). Each
/// configuration's median process CPU time per run comes with it, and managed ÷ onnxruntime by CPU time, which a
/// loaded machine disturbs less at one thread.
/// <c>--ort-optimization disabled,all</c> times ONNX Runtime at several of its own optimization levels; rows at a
/// level other than <c>all</c> are labelled <c>onnxruntime:LEVEL</c>, and managed ÷ onnxruntime compares with <c>all</c>.
/// <c>--managed-optimization disabled,all</c> does the same for the layer fusion the managed engine applies at load
/// (rows <c>managed:disabled</c>…); <c>bench ORIGINAL OPTIMIZED</c> needs <c>disabled</c> to compare the two graphs as written.
/// <c>--qdq lower,simulate</c> times the managed engine both ways on QDQ models: lowered to QLinear ops (the default,
/// <c>managed</c>) and simulated in float between the Q/DQ pairs (<c>managed:qdq-float</c>). <c>--interleave</c> times
/// every configuration of a thread count round-robin instead of one after another (for busy machines).
/// </summary>
static class BenchCommand
{
    public static Command Create()
    {
        var models = new Argument<FileInfo[]>("models") { Description = "Models to time (the first is the baseline for ratios)", Arity = ArgumentArity.OneOrMore };
        var target = TargetOptions.Targets("managed,onnxruntime");
        var threads = new Option<string>("--threads") { Description = "Thread counts, comma-separated", DefaultValueFactory = _ => "1,2" };
        var runs = new Option<int>("--runs") { Description = "Timed runs per configuration (default: about one second's worth)" };
        var seconds = new Option<double>("--seconds") { Description = "Time budget per configuration when --runs is not given", DefaultValueFactory = _ => 1.0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of a table" };
        var ortLevels = new Option<string>("--ort-optimization")
        {
            Description = "ONNX Runtime's own graph optimization level(s), comma-separated: disabled, basic, extended, all",
            DefaultValueFactory = _ => "all",
        };

        var qdq = new Option<string>("--qdq")
        {
            Description = "How the managed engine runs QDQ models, comma-separated: lower (QLinear int8 kernels) and/or simulate (float between Q/DQ)",
            DefaultValueFactory = _ => "lower",
        };
        var managedLevels = TargetOptions.ManagedOptimization(
            "Layer fusion the managed engine applies at load, comma-separated: disabled (the graph as written), basic, extended, all");
        var interleave = new Option<bool>("--interleave") { Description = "Time the configurations of each thread count round-robin, run by run" };

        var command = new Command("bench", "Time models on each target and thread count, side by side")
        {
            models, target, threads, runs, seconds, json, ortLevels, managedLevels, qdq, interleave,
        };
        command.SetAction(parse => CliRunner.Run(parse, console =>
        {
            var paths = parse.GetRequiredValue(models).Select(f => f.FullName).ToList();
            paths.ForEach(ModelFile.CheckReadable);
            var targets = TargetOptions.ParseTargets(parse.GetRequiredValue(target));
            var threadCounts = TargetOptions.ParseThreads(parse.GetRequiredValue(threads));
            var budget = TimeSpan.FromSeconds(Math.Max(0.05, parse.GetValue(seconds)));
            var levels = TargetOptions.ParseOrtLevels(parse.GetRequiredValue(ortLevels));
            var fusionLevels = TargetOptions.ParseManagedLevels(parse.GetRequiredValue(managedLevels));
            var qdqModes = ParseQdqModes(parse.GetRequiredValue(qdq));
            var configurations = targets.SelectMany(t => t == ExecutionTarget.OnnxRuntime
                ? levels.Select(level => new Configuration(t, level, OptimizationLevel.All, Lower: true))
                : fusionLevels.SelectMany(fusion => qdqModes.Select(lower => new Configuration(t, GraphOptimizationLevel.All, fusion, lower)))).ToList();

            var rows = new List<BenchRow>();
            // One set of seeded inputs per model, shared by every target and thread count.
            var feeds = new Dictionary<string, Dictionary<string, TensorData>>();
            foreach (var threadCount in threadCounts)
            {
                var runners = new List<(string Model, string Label, ModelRunner Runner, Dictionary<string, TensorData> Feeds)>();
                try
                {
                    foreach (var path in paths)
                    {
                        foreach (var configuration in configurations)
                        {
                            var runner = ModelRunner.Load(path, configuration.Options(threadCount));
                            var entry = (Model: DisplayName(path), configuration.Label, Runner: runner, Feeds: FeedsFor(feeds, path, runner));
                            if (parse.GetValue(interleave))
                            {
                                runners.Add(entry);
                                continue;
                            }
                            using (runner)
                                rows.Add(Row(entry.Model, entry.Label, threadCount, LatencyBenchmark.Measure(() => runner.Run(entry.Feeds), parse.GetValue(runs), budget)));
                        }
                    }
                    if (parse.GetValue(interleave))
                    {
                        var measured = LatencyBenchmark.MeasureInterleaved([.. runners.Select(r => (Action)(() => r.Runner.Run(r.Feeds)))], parse.GetValue(runs), budget);
                        rows.AddRange(runners.Select((r, i) => Row(r.Model, r.Label, threadCount, measured[i])));
                    }
                }
                finally
                {
                    runners.ForEach(r => r.Runner.Dispose());
                }
            }
            rows = [.. rows.OrderBy(r => paths.FindIndex(p => DisplayName(p) == r.Model)).ThenBy(r => r.Threads)];
            var report = BenchReport.Of(rows);
            if (parse.GetValue(json))
                console.Writer.WriteLine(JsonSerializer.Serialize(report, BenchReportJson.Default.BenchReport));
            else
                Print(console, report);
        }));
        return command;
    }

    /// <summary>One timed setting of a target; its label names what differs from the target's default.</summary>
    sealed record Configuration(ExecutionTarget Target, GraphOptimizationLevel OrtLevel, OptimizationLevel? ManagedLevel, bool Lower)
    {
        public RunnerOptions Options(int threads) =>
            new() { Target = Target, ThreadCount = threads, OrtOptimization = OrtLevel, ManagedOptimization = ManagedLevel, LowerQdq = Lower };

        public string Label => Target == ExecutionTarget.OnnxRuntime
            ? OrtLevel == GraphOptimizationLevel.All ? Target.Name() : $"{Target.Name()}:{OrtLevel.ToString().ToLowerInvariant()}"
            : Target.Name()
                + (ManagedLevel == OptimizationLevel.All ? "" : $":{ManagedLevel?.ToString().ToLowerInvariant() ?? "disabled"}")
                + (Lower ? "" : ":qdq-float");
    }

    static BenchRow Row(string model, string label, int threads, LatencyStats stats) =>
        new(model, label, threads, stats.MedianMs, stats.P10Ms, stats.P90Ms, stats.Runs) { CpuMedianMs = stats.CpuMedianMs };

    /// <summary>The file name, or the folder's for the shared models' <c>NAME/model.onnx</c>.</summary>
    static string DisplayName(string path) => Path.GetFileName(path) is "model.onnx" ? Path.GetFileName(Path.GetDirectoryName(path)!) : Path.GetFileName(path);

    static Dictionary<string, TensorData> FeedsFor(Dictionary<string, Dictionary<string, TensorData>> feeds, string path, ModelRunner runner)
    {
        if (!feeds.TryGetValue(path, out var modelFeeds))
        {
            modelFeeds = runner.Inputs.Select((input, i) => (input.Name, Data: RandomTensors.For(input, seed: i + 1)))
                .ToDictionary(p => p.Name, p => p.Data, StringComparer.Ordinal);
            feeds[path] = modelFeeds;
        }
        return modelFeeds;
    }

    static List<bool> ParseQdqModes(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(mode => mode switch
    {
        "lower" => true,
        "simulate" => false,
        _ => throw new OnnxFuseException($"--qdq: '{mode}' is not one of lower, simulate"),
    }).Distinct()];

    static void Print(CliConsole console, BenchReport report)
    {
        var table = new Table().Title("Latency (ms)")
            .AddColumn("model").AddColumn("target").AddColumn(new TableColumn("threads").RightAligned())
            .AddColumn(new TableColumn("median").RightAligned()).AddColumn(new TableColumn("p10").RightAligned())
            .AddColumn(new TableColumn("p90").RightAligned()).AddColumn(new TableColumn("runs").RightAligned())
            .AddColumn(new TableColumn("cpu").RightAligned())
            .AddColumn(new TableColumn("managed ÷ onnxruntime").RightAligned()).AddColumn(new TableColumn("by cpu").RightAligned())
            .AddColumn(new TableColumn("÷ first model").RightAligned());
        foreach (var row in report.Rows)
        {
            table.AddRow(Markup.Escape(row.Model), row.Target, row.Threads.ToString(CultureInfo.InvariantCulture),
                Ms(row.MedianMs), Ms(row.P10Ms), Ms(row.P90Ms), row.Runs.ToString(CultureInfo.InvariantCulture),
                row.CpuMedianMs is { } cpu ? Ms(cpu) : "", Ratio(row.ManagedOverOnnxRuntime), Ratio(row.ManagedOverOnnxRuntimeCpu),
                Ratio(row.OverFirstModel));
        }
        console.Out.Write(table);
    }

    static string Ms(double value) => value.ToString(value < 0.1 ? "F4" : value < 10 ? "F3" : "F1", CultureInfo.InvariantCulture);

    static string Ratio(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) + "x" : "";
}
