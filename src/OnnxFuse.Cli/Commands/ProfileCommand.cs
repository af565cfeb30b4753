using System.CommandLine;
using System.Globalization;
using OnnxFuse.Cli.Terminal;
using OnnxFuse.Engine;
using OnnxFuse.Engine.Profiling;
using OnnxFuse.Onnx;
using OnnxFuse.Runtime;
using OnnxFuse.Runtime.Benchmarking;
using Spectre.Console;

namespace OnnxFuse.Cli.Commands;

/// <summary>
/// <c>onnxfuse profile MODEL [--threads N] [--runs N] [--seconds S] [--top K] [--managed-optimization LEVEL]</c>: runs a
/// model on the managed engine, as <c>run</c> and <c>bench</c> prepare it (QDQ lowered, layer fusion at load), with seeded random inputs and prints where the time goes: milliseconds per run by operator type, then the
/// <c>K</c> slowest nodes with their shapes. Times are means over the timed runs, after a warm-up.
/// </summary>
static class ProfileCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx file to profile" };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads", DefaultValueFactory = _ => 1 };
        var runs = new Option<int>("--runs") { Description = "Timed runs (default: about one second's worth)" };
        var seconds = new Option<double>("--seconds") { Description = "Time budget when --runs is not given", DefaultValueFactory = _ => 1.0 };
        var top = new Option<int>("--top") { Description = "Slowest nodes to list", DefaultValueFactory = _ => 15 };
        var managedLevel = TargetOptions.ManagedOptimization(
            "Layer fusion applied at load, as run and bench do: disabled (the graph as written), basic, extended, all");

        var command = new Command("profile", "Time each node of a model on the managed engine") { model, threads, runs, seconds, top, managedLevel };
        command.SetAction(parse => CliRunner.Run(parse, console =>
        {
            var path = parse.GetRequiredValue(model).FullName;
            ModelFile.CheckReadable(path);
            var level = TargetOptions.ParseManagedLevel(parse.GetRequiredValue(managedLevel), "profile");
            var loaded = ModelFile.Load(path);
            using var session = InferenceSession.Create(ManagedModelPreparation.Prepare(loaded, new RunnerOptions { ManagedOptimization = level }),
                new EngineOptions { ThreadCount = Math.Max(1, parse.GetValue(threads)), ProfileNodes = true });
            var feeds = RandomTensors.ForModel(loaded, seed: 1);
            var profile = session.NodeProfile!;
            var budget = TimeSpan.FromSeconds(Math.Max(0.05, parse.GetValue(seconds)));
            var profiledRuns = 0;
            void Run()
            {
                session.Run(feeds);
                profiledRuns++;
            }
            // A first warm-up (plans, pools, the tiered JIT) stays out of the profile; the timed runs' own warm-up is in it.
            LatencyBenchmark.Measure(Run, 3, budget / 4);
            profile.Reset();
            profiledRuns = 0;
            var stats = LatencyBenchmark.Measure(Run, parse.GetValue(runs), budget);
            Print(console, profile.Snapshot(), profiledRuns, stats, Math.Max(0, parse.GetValue(top)));
        }));
        return command;
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
