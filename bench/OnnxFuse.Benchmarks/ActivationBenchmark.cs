using System.Diagnostics;
using OnnxFuse.Engine.Kernels.Activations;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Benchmarks;

/// <summary>
/// The <c>activation</c> verb: nanoseconds per element of Erf, Gelu, FastGelu and BiasGelu (bias + Gelu over
/// bert-mini's 128 × 1024 intermediate), each against the engine's previous formula, interleaved in one process so
/// the ratios hold on a noisy machine; then each operator's largest error against a double-precision oracle over
/// x ∈ [−8, 8] in steps of 1e-4 (absolute, and in float spacings where the exact value is at least 1e-3). Options: <c>--quick</c> (fewer rounds).
/// </summary>
static class ActivationBenchmark
{
    const int RowCount = 128;
    const int Hidden = 1024;

    public static int Run(string[] args)
    {
        var rounds = args.Contains("--quick") ? 5 : 21;
        var random = new Random(42);
        var input = Enumerable.Range(0, RowCount * Hidden).Select(_ => (float)(random.NextDouble() * 12 - 6)).ToArray();
        var bias = Enumerable.Range(0, Hidden).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var output = new float[input.Length];
        var cases = new (string Name, Action Baseline, Action Current)[]
        {
            ("Erf", () => UnaryDriver.Run<BaselineErfOp>(input, output), () => UnaryDriver.Run<ErfOp>(input, output)),
            ("Gelu", () => UnaryDriver.Run<BaselineGeluOp>(input, output), () => UnaryDriver.Run<GeluOp>(input, output)),
            ("FastGelu", () => UnaryDriver.Run<BaselineFastGeluOp>(input, output), () => UnaryDriver.Run<FastGeluOp>(input, output)),
            ("BiasGelu", () => BiasGeluKernel<BaselineGeluOp>.Compute(input, bias, output), () => BiasGeluKernel<GeluOp>.Compute(input, bias, output)),
        };
        Console.WriteLine($"ns per element over {RowCount}×{Hidden}, 1 thread, median (best) of {rounds} interleaved rounds");
        Console.WriteLine($"{"op",-10} {"previous",16} {"current",16} {"speed-up",9}");
        foreach (var (name, baseline, current) in cases)
        {
            var (previousTimes, currentTimes) = (new double[rounds], new double[rounds]);
            for (var round = 0; round < rounds; round++)
            {
                previousTimes[round] = NanosecondsPerElement(baseline, input.Length);
                currentTimes[round] = NanosecondsPerElement(current, input.Length);
            }
            Array.Sort(previousTimes);
            Array.Sort(currentTimes);
            var (previous, now) = (previousTimes[rounds / 2], currentTimes[rounds / 2]);
            Console.WriteLine($"{name,-10} {$"{previous:F3} ({previousTimes[0]:F3})",16} {$"{now:F3} ({currentTimes[0]:F3})",16} {previous / now,8:F2}×");
        }
        Console.WriteLine();
        Console.WriteLine("largest |error| against double precision, x ∈ [−8, 8] step 1e-4 (vector path), and in float spacings at the exact value where |exact| ≥ 1e-3");
        Console.WriteLine($"{"op",-10} {"previous",22} {"current",22}");
        PrintError("Erf", default(BaselineErfOp), default(ErfOp), ExactErf);
        PrintError("Gelu", default(BaselineGeluOp), default(GeluOp), x => 0.5 * x * (1 + ExactErf(x / Math.Sqrt(2))));
        PrintError("FastGelu", default(BaselineFastGeluOp), default(FastGeluOp),
            x => 0.5 * x * (1 + Math.Tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))));
        return 0;
    }

    static double NanosecondsPerElement(Action action, int elementCount)
    {
        action();
        const int Calls = 20;
        var watch = Stopwatch.StartNew();
        for (var call = 0; call < Calls; call++)
            action();
        return watch.Elapsed.TotalNanoseconds / Calls / elementCount;
    }

    static void PrintError<TPrevious, TCurrent>(string name, TPrevious previous, TCurrent current, Func<double, double> exact)
        where TPrevious : struct, IUnaryOp where TCurrent : struct, IUnaryOp
    {
        var x = Enumerable.Range(-80_000, 160_001).Select(i => (float)(i * 1e-4)).ToArray();
        var y = new float[x.Length];
        UnaryDriver.Run(x, previous, y);
        var before = LargestError(x, y, exact);
        UnaryDriver.Run(x, current, y);
        var after = LargestError(x, y, exact);
        Console.WriteLine($"{name,-10} {$"{before.Absolute:E2} ({before.Ulps:F1} ulp)",22} {$"{after.Absolute:E2} ({after.Ulps:F1} ulp)",22}");
    }

    static (double Absolute, double Ulps) LargestError(float[] x, float[] y, Func<double, double> exact)
    {
        var (absolute, ulps) = (0.0, 0.0);
        for (var i = 0; i < x.Length; i++)
        {
            var expected = exact(x[i]);
            var error = Math.Abs(y[i] - expected);
            absolute = Math.Max(absolute, error);
            // Gelu's negative tail takes 1 + erf ≈ 0, where ulps say nothing about the formula; count them from 1e-3 up.
            if (Math.Abs(expected) >= 1e-3)
                ulps = Math.Max(ulps, error / (MathF.BitIncrement(MathF.Abs((float)expected)) - MathF.Abs((float)expected)));
        }
        return (absolute, ulps);
    }

    /// <summary>erf in double: the Maclaurin series up to |x| = 4 (cancellation costs under 1e-11 there), ±1 beyond (erfc 4 = 1.5e-8 rounds away in float).</summary>
    static double ExactErf(double x)
    {
        if (Math.Abs(x) > 4)
            return Math.Sign(x);
        double sum = 0, term = x;
        for (var n = 0; n < 200 && Math.Abs(term) > 1e-30; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }
}
