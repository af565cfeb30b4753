using System.Diagnostics;
using System.Runtime.Intrinsics;
using OnnxFuse.Engine.Kernels.Gemm;

namespace OnnxFuse.Benchmarks;

/// <summary>
/// The <c>gemm</c> verb: GFLOP/s of every GEMM variant on a few shapes, 1 and 2 threads, plus the share of the FMA peak.
/// Variants run interleaved in one process so ratios between them hold even on a noisy machine.
/// Options: <c>--quick</c> (shorter runs), <c>--sizes 2048,512</c> (cube sizes only).
/// </summary>
static class GemmBenchmark
{
    const double NominalPeakOneCore = 228.0;

    static readonly (int Rows, int Columns, int Depth)[] s_shapes =
    [
        (2048, 2048, 2048),
        (512, 512, 512),
        (256, 256, 256),
        (128, 256, 1024),
    ];

    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var minSeconds = quick ? 0.2 : 0.6;
        var measuredPeak = MeasureFmaPeak();
        Console.WriteLine($"Vector512 accelerated: {Vector512.IsHardwareAccelerated}, Vector256: {Vector256.IsHardwareAccelerated}, default variant: {GemmKernel.DefaultVariant}");
        Console.WriteLine($"Measured FMA peak (one core, {(Vector512.IsHardwareAccelerated ? "Vector512" : "Vector256")}): {measuredPeak:F1} GFLOP/s; nominal from the brief: {NominalPeakOneCore} / {2 * NominalPeakOneCore}");
        Console.WriteLine();
        Console.WriteLine($"{"M×N×K",-16} {"variant",-22} {"threads",7} {"GFLOP/s",9} {"best",9} {"%meas.pk",9} {"%228/454",9}");
        foreach (var (rows, columns, depth) in s_shapes)
        {
            var random = new Random(42);
            var a = RandomArray(random, rows * depth);
            var b = RandomArray(random, depth * columns);
            var c = new float[rows * columns];
            var flops = 2.0 * rows * columns * depth;
            foreach (var variant in Variants(rows, columns, depth))
            {
                foreach (var threads in new[] { 1, 2 })
                {
                    if (variant.Name == "Scalar" && threads > 1)
                        continue;
                    var p = new GemmParameters(rows, columns, depth) { ThreadCount = threads };
                    var packed = variant.Pack?.Invoke(b, depth, columns);
                    variant.Invoke(a, b, packed, p, c);
                    var times = Measure(() => variant.Invoke(a, b, packed, p, c), minSeconds, flops > 5e9 ? 3 : 10);
                    var median = flops / times[times.Length / 2] / 1e9;
                    var best = flops / times[0] / 1e9;
                    Console.WriteLine($"{$"{rows}×{columns}×{depth}",-16} {variant.Name,-22} {threads,7} {median,9:F1} {best,9:F1} {100 * best / (measuredPeak * threads),8:F0}% {100 * best / (NominalPeakOneCore * threads),8:F0}%");
                }
            }
        }
        return 0;
    }

    sealed record Variant(string Name, Action<float[], float[], PackedMatrix?, GemmParameters, float[]> Invoke, Func<float[], int, int, PackedMatrix>? Pack = null);

    static IEnumerable<Variant> Variants(int rows, int columns, int depth)
    {
        if ((long)rows * columns * depth <= 512L * 512 * 512)
            yield return new("Scalar", (a, b, _, p, c) => GemmKernelScalar.Run(a, b, default, p, c));
        if (Vector256.IsHardwareAccelerated)
        {
            yield return new("Vector256", (a, b, _, p, c) => GemmKernelVector256.Run(a, b, default, p, c));
            yield return new("Vector256 prepacked", (a, _, packed, p, c) => GemmKernelVector256.Run(a, packed!, default, p, c),
                (b, k, n) => PackedMatrix.PackB(b, k, n, false, 0, GemmVariant.Vector256));
            yield return new("Vector256 Parallel.For", (a, b, _, p, c) =>
            {
                GemmDriver.UseParallelFor = true;
                try { GemmKernelVector256.Run(a, b, default, p, c); }
                finally { GemmDriver.UseParallelFor = false; }
            });
        }
        if (Vector512.IsHardwareAccelerated)
        {
            yield return new("Vector512", (a, b, _, p, c) => GemmKernelVector512.Run(a, b, default, p, c));
            yield return new("Vector512 prepacked", (a, _, packed, p, c) => GemmKernelVector512.Run(a, packed!, default, p, c),
                (b, k, n) => PackedMatrix.PackB(b, k, n, false, 0, GemmVariant.Vector512));
        }
    }

    static double[] Measure(Action action, double minSeconds, int minRuns)
    {
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < minRuns || total.Elapsed.TotalSeconds < minSeconds)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            if (times.Count >= 2000)
                break;
        }
        times.Sort();
        return [.. times];
    }

    static float[] RandomArray(Random random, int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>12 independent FMA chains per iteration: the throughput bound, free of memory effects.</summary>
    static double MeasureFmaPeak()
    {
        var best = 0.0;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            const int Iterations = 20_000_000;
            var start = Stopwatch.GetTimestamp();
            var lanes = Vector512.IsHardwareAccelerated ? FmaChains512(Iterations) : FmaChains256(Iterations);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, 12.0 * 2 * lanes * Iterations / seconds / 1e9);
        }
        return best;
    }

    static int FmaChains256(int iterations)
    {
        var x = Vector256.Create(1.0000001f);
        var y = Vector256.Create(0.9999999f);
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector256<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (var i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(x, y, c0); c1 = Vector256.FusedMultiplyAdd(x, y, c1);
            c2 = Vector256.FusedMultiplyAdd(x, y, c2); c3 = Vector256.FusedMultiplyAdd(x, y, c3);
            c4 = Vector256.FusedMultiplyAdd(x, y, c4); c5 = Vector256.FusedMultiplyAdd(x, y, c5);
            c6 = Vector256.FusedMultiplyAdd(x, y, c6); c7 = Vector256.FusedMultiplyAdd(x, y, c7);
            c8 = Vector256.FusedMultiplyAdd(x, y, c8); c9 = Vector256.FusedMultiplyAdd(x, y, c9);
            c10 = Vector256.FusedMultiplyAdd(x, y, c10); c11 = Vector256.FusedMultiplyAdd(x, y, c11);
        }
        var sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
        return sum.GetElement(0) > 0 ? Vector256<float>.Count : 0;
    }

    static int FmaChains512(int iterations)
    {
        var x = Vector512.Create(1.0000001f);
        var y = Vector512.Create(0.9999999f);
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector512<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (var i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(x, y, c0); c1 = Vector512.FusedMultiplyAdd(x, y, c1);
            c2 = Vector512.FusedMultiplyAdd(x, y, c2); c3 = Vector512.FusedMultiplyAdd(x, y, c3);
            c4 = Vector512.FusedMultiplyAdd(x, y, c4); c5 = Vector512.FusedMultiplyAdd(x, y, c5);
            c6 = Vector512.FusedMultiplyAdd(x, y, c6); c7 = Vector512.FusedMultiplyAdd(x, y, c7);
            c8 = Vector512.FusedMultiplyAdd(x, y, c8); c9 = Vector512.FusedMultiplyAdd(x, y, c9);
            c10 = Vector512.FusedMultiplyAdd(x, y, c10); c11 = Vector512.FusedMultiplyAdd(x, y, c11);
        }
        var sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
        return sum.GetElement(0) > 0 ? Vector512<float>.Count : 0;
    }
}
