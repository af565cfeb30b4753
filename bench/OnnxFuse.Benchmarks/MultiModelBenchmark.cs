using OnnxFuse.Compose;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Runtime;
using OnnxFuse.Runtime.Benchmarking;

namespace OnnxFuse.Benchmarks;

/// <summary>
/// Multi-model fusion figures on both targets at 1 and 2 threads, all in one run so the ratios are comparable:
/// <list type="bullet">
/// <item>two small models (default: the bundled samples vollo_mlp and vollo_cnn): the parallel-fused model vs the
/// two models run one after the other (parts back to back); and, on a request stream that alternates models (the
/// worst case for switching), the switched model in one resident session (index input) vs two resident sessions
/// vs one session re-created at each switch (what a runtime without fusion that holds one model at a time does);</item>
/// <item>two large models (mobilenet_v2 and bert_mini_op13 from the shared models, on their reference inputs; skipped
/// under <c>--quick</c> and when absent): the parallel-fused model vs the parts back to back.</item>
/// </list>
/// Figures are median microseconds per request: the median of five interleaved rounds' medians.
/// </summary>
static class MultiModelBenchmark
{
    static readonly int[] s_threadCounts = [1, 2];

    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var paths = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (paths.Length == 0)
            paths = [Sample("vollo_mlp.onnx"), Sample("vollo_cnn.onnx")];
        if (paths.Length != 2 || !paths.All(File.Exists))
        {
            Console.Error.WriteLine("multi-model needs two existing model files (or none, for the bundled samples)");
            return 1;
        }
        var small = Pair.Load(paths);
        var budget = TimeSpan.FromSeconds(quick ? 0.2 : 1.0);
        Console.WriteLine($"small: {small.Describe()}; median µs per request");
        foreach (var threads in s_threadCounts)
            foreach (var target in new[] { ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime })
                TimeSmall(small, new RunnerOptions { Target = target, ThreadCount = threads }, budget);

        string[] large = [SharedModel("mobilenet_v2"), SharedModel("bert_mini_op13")];
        if (quick || !large.All(File.Exists))
            return 0;
        var pair = Pair.Load(large);
        Console.WriteLine($"large: {pair.Describe()}; median ms per request");
        foreach (var threads in s_threadCounts)
            foreach (var target in new[] { ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime })
                TimeLarge(pair, new RunnerOptions { Target = target, ThreadCount = threads });
        return 0;
    }

    static void TimeSmall(Pair pair, RunnerOptions options, TimeSpan budget)
    {
        using var first = ModelRunner.Create(pair.Models[0], options);
        using var second = ModelRunner.Create(pair.Models[1], options);
        using var fusedParallel = ModelRunner.Create(pair.Parallel, options);
        using var fusedSwitched = SwitchedModelRunner.Create(pair.Switched, options);
        var parallelFeeds = pair.ParallelFeeds(fusedParallel);

        var request = 0;
        Action[] scenarios =
        [
            () => { first.Run(pair.Feeds[0]); second.Run(pair.Feeds[1]); },
            () => fusedParallel.Run(parallelFeeds),
            () => { var i = request++ % 2; (i == 0 ? first : second).Run(pair.Feeds[i]); },
            () => { var i = request++ % 2; fusedSwitched.Run(i, pair.Feeds[i]); },
            () =>
            {
                var i = request++ % 2;
                using var runner = ModelRunner.Create(pair.Models[i], options);
                runner.Run(pair.Feeds[i]);
            },
        ];
        var times = TimeInterleaved(scenarios, budget, runs: 0);
        var (parts, fused, resident, bySwitch, reload) = (times[0], times[1], times[2], times[3], times[4]);

        Console.WriteLine(FormattableString.Invariant(
            $"{options.Target.Name(),-12} {options.ThreadCount}t parallel: fused {fused,8:F1}  parts {parts,8:F1}  fused/parts {fused / parts:F2}x"));
        Console.WriteLine(FormattableString.Invariant(
            $"{"",-15} switching: switched {bySwitch,8:F1}  two sessions {resident,8:F1}  session per switch {reload,8:F1}  switched/two-sessions {bySwitch / resident:F2}x  session-per-switch/two-sessions {reload / resident:F1}x"));
    }

    static void TimeLarge(Pair pair, RunnerOptions options)
    {
        using var first = ModelRunner.Create(pair.Models[0], options);
        using var second = ModelRunner.Create(pair.Models[1], options);
        using var fusedParallel = ModelRunner.Create(pair.Parallel, options);
        var parallelFeeds = pair.ParallelFeeds(fusedParallel);
        Action[] scenarios =
        [
            () => { first.Run(pair.Feeds[0]); second.Run(pair.Feeds[1]); },
            () => fusedParallel.Run(parallelFeeds),
        ];
        // A few tens of ms per call: a fixed number of timed runs per round keeps the whole table under a minute.
        var times = TimeInterleaved(scenarios, TimeSpan.FromSeconds(0.2), runs: 5);
        Console.WriteLine(FormattableString.Invariant(
            $"{options.Target.Name(),-12} {options.ThreadCount}t parallel: fused {times[1] / 1000,8:F2}  parts {times[0] / 1000,8:F2}  fused/parts {times[1] / times[0]:F2}x"));
    }

    /// <summary>
    /// Median µs per call of each scenario, timed in rounds that take turns, so that JIT tiering, caches and machine
    /// noise hit every scenario alike rather than whichever runs first: the median of five round medians, after one
    /// untimed round (on a loaded machine the tiered JIT's background recompilation lags behind: without it the
    /// first scenarios timed ran unoptimized code, 3× slower).
    /// </summary>
    static double[] TimeInterleaved(Action[] scenarios, TimeSpan budget, int runs)
    {
        const int Rounds = 5;
        var medians = new double[scenarios.Length][];
        for (var s = 0; s < scenarios.Length; s++)
            medians[s] = new double[Rounds];
        foreach (var scenario in scenarios)
            LatencyBenchmark.Measure(scenario, runs, budget / Rounds);
        for (var round = 0; round < Rounds; round++)
            for (var s = 0; s < scenarios.Length; s++)
                medians[s][round] = LatencyBenchmark.Measure(scenarios[s], runs, budget / Rounds).MedianMs * 1000;
        return [.. medians.Select(m => m.Order().ElementAt(Rounds / 2))];
    }

    /// <summary>Two models, their parallel and switched fusions, and one input set per model.</summary>
    sealed record Pair(string[] Names, Model[] Models, Model Parallel, Model Switched, Dictionary<string, TensorData>[] Feeds)
    {
        public static Pair Load(string[] paths)
        {
            var models = paths.Select(ModelFile.Load).ToArray();
            var names = paths.Select(p => Path.GetFileNameWithoutExtension(p) is "model" ? Path.GetFileName(Path.GetDirectoryName(p))! : Path.GetFileNameWithoutExtension(p)).ToArray();
            var parts = models.Select((m, i) => new FusionInput(m, names[i])).ToList();
            return new Pair(names, models,
                ModelFusion.Fuse(parts, new FusionOptions { Mode = FusionMode.Parallel }),
                ModelFusion.Fuse(parts, new FusionOptions { Mode = FusionMode.Switched }),
                [.. models.Select((m, i) => Inputs(paths[i], m, seed: i + 1))]);
        }

        public string Describe() => string.Join(" + ", Names);

        /// <summary>Model 0's feeds then model 1's, renamed to the parallel-fused model's inputs (same order).</summary>
        public Dictionary<string, TensorData> ParallelFeeds(ModelRunner fused) =>
            Feeds.SelectMany(f => f).Select((p, i) => (fused.Inputs[i].Name, p.Value)).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

        /// <summary>The reference inputs next to the model (test_data_set_0) when there are any, else seeded random ones.</summary>
        static Dictionary<string, TensorData> Inputs(string path, Model model, int seed)
        {
            var folder = Path.Combine(Path.GetDirectoryName(path)!, "test_data_set_0");
            var required = model.Graph.Inputs.Where(i => !i.IsInitializer)
                .Select(i => new ValueDescription(i.Name, i.ElementType!.Value, i.Shape)).ToList();
            if (Directory.Exists(folder) && TensorFiles.LoadInputFolder(folder, required) is { } loaded && loaded.Count == required.Count)
                return loaded;
            return RandomTensors.ForModel(model, seed);
        }
    }

    static string Sample(string file) => Path.Combine(RepositoryRoot() ?? "", "samples", file);

    /// <summary>A model of the team's shared folder: <c>ONNXFUSE_SHARED</c>, else <c>../shared</c> beside the repository.</summary>
    static string SharedModel(string name) => Path.Combine(
        Environment.GetEnvironmentVariable("ONNXFUSE_SHARED") is { Length: > 0 } shared ? shared : Path.Combine(RepositoryRoot() ?? "", "..", "shared"),
        "models", name, "model.onnx");

    static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OnnxFuse.slnx")))
                return dir.FullName;
        return null;
    }
}
