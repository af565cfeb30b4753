using OnnxFuse.Compose;
using OnnxFuse.Onnx;
using OnnxFuse.Runtime;
using OnnxFuse.Runtime.Benchmarking;

namespace OnnxFuse.Benchmarks;

/// <summary>
/// Multi-model fusion figures for two models (default: the bundled samples vollo_mlp and vollo_cnn), on both
/// targets, one thread, all in one run so the ratios are comparable:
/// <list type="bullet">
/// <item>parallel: the parallel-fused model vs running the two models one after the other (sum of parts);</item>
/// <item>switching, on a request stream that alternates models (the worst case for switching): the switched model
/// in one resident session (index input), two resident sessions, and one session re-created at each switch
/// (what a runtime without fusion that holds one model at a time does).</item>
/// </list>
/// Figures are median microseconds per request, timed in interleaved rounds; ratios are against two resident sessions.
/// </summary>
static class MultiModelBenchmark
{
    public static int Run(string[] args)
    {
        var paths = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var budget = TimeSpan.FromSeconds(args.Contains("--quick") ? 0.2 : 1.0);
        if (paths.Length == 0)
            paths = [Sample("vollo_mlp.onnx"), Sample("vollo_cnn.onnx")];
        if (paths.Length != 2 || !paths.All(File.Exists))
        {
            Console.Error.WriteLine("multi-model needs two existing model files (or none, for the bundled samples)");
            return 1;
        }
        var models = paths.Select(ModelFile.Load).ToArray();
        var names = paths.Select(Path.GetFileNameWithoutExtension).OfType<string>().ToArray();
        var parts = models.Select((m, i) => new FusionInput(m, names[i])).ToList();
        var parallel = ModelFusion.Fuse(parts, new FusionOptions { Mode = FusionMode.Parallel });
        var switched = ModelFusion.Fuse(parts, new FusionOptions { Mode = FusionMode.Switched });
        var feeds = models.Select((m, i) => RandomTensors.ForModel(m, seed: i + 1)).ToArray();

        Console.WriteLine($"models: {string.Join(" + ", names)}; one thread; median µs per request");
        foreach (var target in new[] { ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime })
        {
            var options = new RunnerOptions { Target = target, ThreadCount = 1 };
            using var first = ModelRunner.Create(models[0], options);
            using var second = ModelRunner.Create(models[1], options);
            using var fusedParallel = ModelRunner.Create(parallel, options);
            using var fusedSwitched = SwitchedModelRunner.Create(switched, options);
            var parallelFeeds = feeds.SelectMany(f => f).Select((p, i) => (Name: fusedParallel.Inputs[i].Name, p.Value))
                .ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

            var request = 0;
            Action[] scenarios =
            [
                () => { first.Run(feeds[0]); second.Run(feeds[1]); },
                () => fusedParallel.Run(parallelFeeds),
                () => { var i = request++ % 2; (i == 0 ? first : second).Run(feeds[i]); },
                () => { var i = request++ % 2; fusedSwitched.Run(i, feeds[i]); },
                () =>
                {
                    var i = request++ % 2;
                    using var runner = ModelRunner.Create(models[i], options);
                    runner.Run(feeds[i]);
                },
            ];
            var times = TimeInterleaved(scenarios, budget);
            var (sumOfParts, fused, resident, bySwitch, reload) = (times[0], times[1], times[2], times[3], times[4]);

            Console.WriteLine(FormattableString.Invariant(
                $"{target.Name(),-12} parallel: fused {fused,9:F1}  parts {sumOfParts,9:F1}  fused/parts {fused / sumOfParts:F2}x"));
            Console.WriteLine(FormattableString.Invariant(
                $"{"",-12} switching: switched {bySwitch,9:F1}  two sessions {resident,9:F1}  session per switch {reload,9:F1}  switched/two-sessions {bySwitch / resident:F2}x  session-per-switch/two-sessions {reload / resident:F1}x"));
        }
        return 0;
    }

    /// <summary>
    /// Median µs per call of each scenario, timed in rounds that take turns, so that JIT tiering, caches and machine
    /// noise hit every scenario alike rather than whichever runs first: the median of five round medians.
    /// </summary>
    static double[] TimeInterleaved(Action[] scenarios, TimeSpan budget)
    {
        const int Rounds = 5;
        var medians = new double[scenarios.Length][];
        for (var s = 0; s < scenarios.Length; s++)
            medians[s] = new double[Rounds];
        for (var round = 0; round < Rounds; round++)
            for (var s = 0; s < scenarios.Length; s++)
                medians[s][round] = LatencyBenchmark.Measure(scenarios[s], 0, budget / Rounds).MedianMs * 1000;
        return [.. medians.Select(m => m.Order().ElementAt(Rounds / 2))];
    }

    static string Sample(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OnnxFuse.slnx")))
                return Path.Combine(dir.FullName, "samples", file);
        return file;
    }
}
