using System.CommandLine;
using System.Globalization;
using OnnxFuse.Cli.Terminal;
using OnnxFuse.Engine;
using OnnxFuse.Engine.Profiling;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Ort;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime;
using OnnxFuse.Runtime.Benchmarking;
using Spectre.Console;

namespace OnnxFuse.Cli.Commands;

/// <summary>
/// <c>onnxfuse profile MODEL [--target managed|onnxruntime] [--threads N] [--runs N] [--seconds S] [--top K]
/// [--managed-optimization LEVEL] [--ort-optimization LEVEL]</c>: runs a model with seeded random inputs and prints where
/// the time goes: milliseconds per run by operator type, then the <c>K</c> slowest nodes with their shapes. Times are
/// means over the timed runs, after a warm-up. The managed engine prepares the model as <c>run</c> and <c>bench</c> do
/// (QDQ lowered, layer fusion at load) and times its kernels itself; ONNX Runtime times them with its own profiler
/// (microsecond resolution), so the same model's nodes can be compared side by side.
/// </summary>
static class ProfileCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx file to profile" };
        var target = new Option<string>("--target")
        {
            Description = "Where it runs: managed (embedded default) or onnxruntime (ORT's own per-kernel profile)",
            DefaultValueFactory = _ => "managed",
        };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads", DefaultValueFactory = _ => 1 };
        var runs = new Option<int>("--runs") { Description = "Timed runs (default: about one second's worth)" };
        var seconds = new Option<double>("--seconds") { Description = "Time budget when --runs is not given", DefaultValueFactory = _ => 1.0 };
        var top = new Option<int>("--top") { Description = "Slowest nodes to list", DefaultValueFactory = _ => 15 };
        var managedLevel = TargetOptions.ManagedOptimization(
            "Layer fusion applied at load, as run and bench do: disabled (the graph as written), basic, extended, all");
        var ortLevel = new Option<string>("--ort-optimization")
        {
            Description = "ONNX Runtime's own graph optimization level with --target onnxruntime: disabled, basic, extended, all",
            DefaultValueFactory = _ => "all",
        };

        var command = new Command("profile", "Time each node of a model on the managed engine or on ONNX Runtime")
        {
            model, target, threads, runs, seconds, top, managedLevel, ortLevel,
        };
        command.SetAction(parse => CliRunner.Run(parse, console =>
        {
            var path = parse.GetRequiredValue(model).FullName;
            ModelFile.CheckReadable(path);
            var loaded = ModelFile.Load(path);
            var settings = new ProfileSettings(Math.Max(1, parse.GetValue(threads)), parse.GetValue(runs),
                TimeSpan.FromSeconds(Math.Max(0.05, parse.GetValue(seconds))), RandomTensors.ForModel(loaded, seed: 1));
            var profile = TargetOptions.ParseTargets(parse.GetRequiredValue(target)) switch
            {
                [ExecutionTarget.Managed] => ProfileManaged(loaded, settings,
                    TargetOptions.ParseManagedLevel(parse.GetRequiredValue(managedLevel), "profile")),
                [ExecutionTarget.OnnxRuntime] => ProfileOnOrt(path, settings,
                    TargetOptions.ParseOrtLevels(parse.GetRequiredValue(ortLevel)) is [var level]
                        ? level
                        : throw new OnnxFuseException("profile takes one --ort-optimization level (use bench to compare levels)")),
                _ => throw new OnnxFuseException("profile takes one --target: managed or onnxruntime"),
            };
            if (profile.Note is { } note)
                console.Writer.WriteLine(note);
            Print(console, profile.Nodes, profile.Runs, profile.Stats, Math.Max(0, parse.GetValue(top)));
        }));
        return command;
    }

    sealed record ProfileSettings(int Threads, int Runs, TimeSpan Budget, Dictionary<string, TensorData> Feeds);

    sealed record Profile(IReadOnlyList<NodeTiming> Nodes, int Runs, LatencyStats Stats, string? Note = null);

    static Profile ProfileManaged(Model loaded, ProfileSettings settings, OptimizationLevel? level)
    {
        using var session = InferenceSession.Create(ManagedModelPreparation.Prepare(loaded, new RunnerOptions { ManagedOptimization = level }),
            new EngineOptions { ThreadCount = settings.Threads, ProfileNodes = true });
        var profile = session.NodeProfile!;
        var profiledRuns = 0;
        void Run()
        {
            session.Run(settings.Feeds);
            profiledRuns++;
        }
        // A first warm-up (plans, pools, the tiered JIT) stays out of the profile; the timed runs' own warm-up is in it.
        LatencyBenchmark.Measure(Run, 3, settings.Budget / 4);
        profile.Reset();
        profiledRuns = 0;
        var stats = LatencyBenchmark.Measure(Run, settings.Runs, settings.Budget);
        return new Profile(profile.Snapshot(), profiledRuns, stats);
    }

    /// <summary>
    /// ORT records every kernel call from the session's start and writes its profile when the session closes; the calls
    /// of the warm-up runs are dropped here, per node, so both targets report the same runs.
    /// </summary>
    static Profile ProfileOnOrt(string path, ProfileSettings settings, GraphOptimizationLevel level)
    {
        var folder = Directory.CreateTempSubdirectory("onnxfuse-profile-");
        try
        {
            var options = new OrtSessionOptions
            {
                GraphOptimizationLevel = level,
                IntraOpThreads = settings.Threads,
                ProfileFilePrefix = Path.Combine(folder.FullName, "ort"),
            };
            int warmUpRuns, profiledRuns = 0;
            LatencyStats stats;
            using (var session = OrtSession.Create(path, options))
            {
                void Run()
                {
                    session.Run(settings.Feeds);
                    profiledRuns++;
                }
                LatencyBenchmark.Measure(Run, 3, settings.Budget / 4);
                warmUpRuns = profiledRuns;
                profiledRuns = 0;
                stats = LatencyBenchmark.Measure(Run, settings.Runs, settings.Budget);
            }
            var file = folder.EnumerateFiles("ort*.json").SingleOrDefault()
                ?? throw new OrtException("ONNX Runtime wrote no profile file");
            var nodes = OrtKernelTimings.AfterWarmUp(OrtProfileFile.ReadKernelCalls(file.FullName), warmUpRuns);
            var recordedRuns = nodes.Count == 0 ? 0 : (int)nodes.Max(n => n.Calls);
            return recordedRuns < profiledRuns
                ? new Profile(nodes, recordedRuns, stats,
                    $"ONNX Runtime's profile holds {recordedRuns} of the {profiledRuns} timed runs (it stops recording at its event limit): ask for fewer with --runs")
                : new Profile(nodes, profiledRuns, stats);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    static void Print(CliConsole console, IReadOnlyList<NodeTiming> nodes, int runs, LatencyStats stats, int top)
    {
        // Control-flow nodes contain their bodies' nodes, which are listed too: count each millisecond once.
        var leaves = nodes.Where(n => !n.ContainsSubgraphs && n.Calls > 0).ToList();
        var total = leaves.Sum(n => n.Total.TotalMilliseconds);
        runs = Math.Max(1, runs);
        var byOp = new Table().Title("Time per run by operator")
            .AddColumn("operator").AddColumn(new TableColumn("nodes").RightAligned())
            .AddColumn(new TableColumn("ms").RightAligned()).AddColumn(new TableColumn("fastest ms").RightAligned())
            .AddColumn(new TableColumn("share").RightAligned());
        foreach (var group in leaves.GroupBy(n => n.OpType).OrderByDescending(g => g.Sum(n => n.Total.Ticks)))
        {
            var ms = group.Sum(n => n.Total.TotalMilliseconds);
            byOp.AddRow(Markup.Escape(group.Key), group.Count().ToString(CultureInfo.InvariantCulture), Ms(ms / runs),
                Ms(group.Sum(n => n.Fastest.TotalMilliseconds)), Share(ms, total));
        }
        byOp.AddRow("[bold]all nodes[/]", leaves.Count.ToString(CultureInfo.InvariantCulture), Ms(total / runs),
            Ms(leaves.Sum(n => n.Fastest.TotalMilliseconds)), Share(total, total));
        console.Out.Write(byOp);

        var slowest = new Table().Title($"Slowest {Math.Min(top, leaves.Count)} nodes")
            .AddColumn("node").AddColumn("shapes").AddColumn(new TableColumn("ms per call").RightAligned())
            .AddColumn(new TableColumn("fastest ms").RightAligned()).AddColumn(new TableColumn("share").RightAligned());
        foreach (var node in leaves.OrderByDescending(n => n.Total).Take(top))
        {
            slowest.AddRow(Markup.Escape(node.Node), Markup.Escape(node.Shapes), Ms(node.Mean.TotalMilliseconds),
                Ms(node.Fastest.TotalMilliseconds), Share(node.Total.TotalMilliseconds, total));
        }
        console.Out.Write(slowest);
        console.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"whole run: median {stats.MedianMs:F3} ms, p10 {stats.P10Ms:F3}, p90 {stats.P90Ms:F3} over {stats.Runs} runs"));
    }

    static string Ms(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    static string Share(double part, double whole) => whole <= 0 ? "" : (part / whole).ToString("P1", CultureInfo.InvariantCulture);
}
