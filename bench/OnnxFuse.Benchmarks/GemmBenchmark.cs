using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OnnxFuse.Engine.Kernels;
using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Kernels.Gemm;

namespace OnnxFuse.Benchmarks;

/// <summary>
/// The <c>gemm</c> verb: GFLOP/s of every GEMM variant on a few shapes, 1 and 2 threads, plus the share of the FMA peak.
/// Variants run in one process so ratios between them hold on a noisy machine. Besides wall-clock GFLOP/s (median
/// and best) it prints a CPU-time figure, flops · threads / CPU seconds, which removes time the OS gave to other
/// processes (on a shared 2-core box that dominates). Then a few MobileNet-style Conv layers.
/// Options: <c>--quick</c> (shorter runs), <c>--no-conv</c>, <c>--conv-only</c>, <c>--bert</c> (bert_mini's four
/// MatMul shapes instead, M = 128 with prepacked weights; implies <c>--no-conv</c>).
/// </summary>
static partial class GemmBenchmark
{
    const double NominalPeakOneCore = 228.0;

    static readonly (int Rows, int Columns, int Depth)[] s_shapes =
    [
        (2048, 2048, 2048),
        (512, 512, 512),
        (256, 256, 256),
        (128, 256, 1024),
    ];

    /// <summary>bert_mini's MatMuls (sequence 128, hidden 256): QKV, attention output, FFN in, FFN out.</summary>
    static readonly (int Rows, int Columns, int Depth)[] s_bertShapes =
    [
        (128, 768, 256),
        (128, 256, 256),
        (128, 1024, 256),
        (128, 256, 1024),
    ];

    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var minSeconds = quick ? 0.2 : 0.6;
        if (args.Contains("--conv-only"))
        {
            RunConv(minSeconds);
            return 0;
        }
        var measuredPeak = MeasureFmaPeak();
        Console.WriteLine($"Vector512 accelerated: {Vector512.IsHardwareAccelerated}, Vector256: {Vector256.IsHardwareAccelerated}, default variant: {GemmKernel.DefaultVariant}");
        Console.WriteLine($"Measured FMA peak by CPU time (one core, {(Vector512.IsHardwareAccelerated ? "Vector512" : "Vector256")}): {measuredPeak:F1} GFLOP/s; nominal from the brief: {NominalPeakOneCore} / {2 * NominalPeakOneCore}");
        Console.WriteLine();
        Console.WriteLine("GFLOP/s: wall median, wall best, CPU-time median; % of peak from the CPU-time figure.");
        Console.WriteLine($"{"M×N×K",-16} {"variant",-22} {"threads",7} {"median",8} {"best",8} {"cpu",8} {"%meas.pk",9} {"%228/454",9}");
        var bert = args.Contains("--bert");
        foreach (var (rows, columns, depth) in bert ? s_bertShapes : s_shapes)
        {
            var random = new Random(42);
            var a = RandomArray(random, rows * depth);
            var b = RandomArray(random, depth * columns);
            var c = new float[rows * columns];
            var flops = 2.0 * rows * columns * depth;
            foreach (var variant in bert ? BertVariants() : Variants(rows, columns, depth))
            {
                foreach (var threads in new[] { 1, 2 })
                {
                    if (variant.Name == "Scalar" && threads > 1)
                        continue;
                    var p = new GemmParameters(rows, columns, depth) { ThreadCount = threads };
                    var packed = variant.Pack?.Invoke(b, depth, columns);
                    variant.Invoke(a, b, packed, p, c);
                    var (times, cpuTimes) = Measure(() => variant.Invoke(a, b, packed, p, c), threads, minSeconds, flops > 5e9 ? 3 : 10);
                    var median = flops / times[times.Length / 2] / 1e9;
                    var best = flops / times[0] / 1e9;
                    var cpu = flops * threads / cpuTimes[cpuTimes.Length / 2] / 1e9;
                    Console.WriteLine($"{$"{rows}×{columns}×{depth}",-16} {variant.Name,-22} {threads,7} {median,8:F1} {best,8:F1} {cpu,8:F1} {100 * cpu / (measuredPeak * threads),8:F0}% {100 * cpu / (NominalPeakOneCore * threads),8:F0}%");
                }
            }
        }
        if (!args.Contains("--no-conv") && !bert)
            RunConv(minSeconds);
        return 0;
    }

    static void RunConv(double minSeconds)
    {
        Console.WriteLine();
        Console.WriteLine("Conv (N = 1, fused bias + activation), ms per call: wall median, CPU-time best; reference = ConvKernelScalar");
        Console.WriteLine($"{"layer",-40} {"path",-10} {"ref ms",8} {"1t ms",8} {"1t cpu",8} {"2t ms",8} {"2t cpu",8} {"GFLOP/s 1t",11}");
        var layers = new (string Name, ConvParameters Parameters)[]
        {
            ("stem 3→32 3×3 s2 224²", new ConvParameters(1, 3, 224, 224, 32, 3, 3) { StrideHeight = 2, StrideWidth = 2, PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1, Activation = Activation.Relu6 }),
            ("expand 1×1 24→144 56²", new ConvParameters(1, 24, 56, 56, 144, 1, 1) { Activation = Activation.Relu6 }),
            ("depthwise 3×3 144 s1 56²", new ConvParameters(1, 144, 56, 56, 144, 3, 3) { GroupCount = 144, PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1, Activation = Activation.Relu6 }),
            ("depthwise 3×3 144 s2 56²", new ConvParameters(1, 144, 56, 56, 144, 3, 3) { GroupCount = 144, StrideHeight = 2, StrideWidth = 2, PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1, Activation = Activation.Relu6 }),
            ("project 1×1 144→24 56²", new ConvParameters(1, 144, 56, 56, 24, 1, 1)),
            ("resnet 3×3 64→64 56²", new ConvParameters(1, 64, 56, 56, 64, 3, 3) { PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1, Activation = Activation.Relu }),
            ("expand 1×1 16→96 112²", new ConvParameters(1, 16, 112, 112, 96, 1, 1) { Activation = Activation.Relu6 }),
            ("depthwise 3×3 96 s2 112²", new ConvParameters(1, 96, 112, 112, 96, 3, 3) { GroupCount = 96, StrideHeight = 2, StrideWidth = 2, PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1, Activation = Activation.Relu6 }),
            ("depthwise 3×3 960 s1 7²", new ConvParameters(1, 960, 7, 7, 960, 3, 3) { GroupCount = 960, PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1, Activation = Activation.Relu6 }),
            ("expand 1×1 320→1280 7²", new ConvParameters(1, 320, 7, 7, 1280, 1, 1) { Activation = Activation.Relu6 }),
        };
        foreach (var (name, p) in layers)
        {
            var random = new Random(7);
            var input = RandomArray(random, (int)(p.InputChannelCount * p.InputHeight * p.InputWidth));
            var weights = RandomArray(random, p.OutputChannelCount * p.InputChannelCount / p.GroupCount * p.KernelHeight * p.KernelWidth);
            var bias = RandomArray(random, p.OutputChannelCount);
            var output = new float[p.OutputChannelCount * p.OutputHeight * p.OutputWidth];
            var packed = ConvKernel.PackWeights(weights, p);
            var flops = 2.0 * output.Length * weights.Length / p.OutputChannelCount;
            var path = p.GroupCount == p.InputChannelCount && p.GroupCount > 1 ? "depthwise" : p.KernelHeight == 1 && p.KernelWidth == 1 ? "1×1 gemm" : "im2col";
            var (reference, _) = Measure(() => ConvKernelScalar.Run(input, weights, bias, p, output), 1, minSeconds / 4, 2);
            var one = p with { ThreadCount = 1 };
            var two = p with { ThreadCount = 2 };
            ConvKernel.Run(input, packed, bias, one, output);
            var (wall1, cpu1) = Measure(() => ConvKernel.Run(input, packed, bias, one, output), 1, minSeconds, 10);
            var (wall2, cpu2) = Measure(() => ConvKernel.Run(input, packed, bias, two, output), 2, minSeconds, 10);
            Console.WriteLine($"{name,-40} {path,-10} {reference[0] * 1e3,8:F2} {wall1[wall1.Length / 2] * 1e3,8:F3} {cpu1[0] * 1e3,8:F3} {wall2[wall2.Length / 2] * 1e3,8:F3} {cpu2[0] / 2 * 1e3,8:F3} {flops / cpu1[0] / 1e9,11:F1}");
        }
    }

    static readonly float[] s_bias = RandomArray(new Random(3), 4096);

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
            yield return new("Vector256 pp +bias+Gelu", (a, _, packed, p, c) =>
                GemmKernelVector256.Run(a, packed!, s_bias.AsSpan(0, p.ColumnCount), p with { BiasKind = BiasKind.PerColumn, Activation = Activation.Gelu }, c),
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

    /// <summary>What bert_mini runs: B prepacked at plan time, with and without the QKV projection's fused bias.</summary>
    static IEnumerable<Variant> BertVariants()
    {
        yield return new("Vector256 prepacked", (a, _, packed, p, c) => GemmKernelVector256.Run(a, packed!, default, p, c),
            (b, k, n) => PackedMatrix.PackB(b, k, n, false, 0, GemmVariant.Vector256));
        yield return new("Vector256 pp +bias", (a, _, packed, p, c) =>
            GemmKernelVector256.Run(a, packed!, s_bias.AsSpan(0, p.ColumnCount), p with { BiasKind = BiasKind.PerColumn }, c),
            (b, k, n) => PackedMatrix.PackB(b, k, n, false, 0, GemmVariant.Vector256));
    }

    /// <summary>Wall and CPU seconds per run, each sorted; CPU time is the calling thread's for one thread, the process's otherwise.</summary>
    static (double[] Wall, double[] Cpu) Measure(Action action, int threads, double minSeconds, int minRuns)
    {
        var wall = new List<double>();
        var cpu = new List<double>();
        // Let tiered compilation promote the kernels (and their loops out of OSR code) before timing.
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < minSeconds / 2)
            action();
        var total = Stopwatch.StartNew();
        while (wall.Count < minRuns || total.Elapsed.TotalSeconds < minSeconds)
        {
            var cpuStart = CpuSeconds(threads);
            var start = Stopwatch.GetTimestamp();
            action();
            wall.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            cpu.Add(CpuSeconds(threads) - cpuStart);
            if (wall.Count >= 2000)
                break;
        }
        wall.Sort();
        cpu.Sort();
        return ([.. wall], [.. cpu]);
    }

    static double CpuSeconds(int threads)
    {
        const int ProcessClock = 2, ThreadClock = 3;
        if (!OperatingSystem.IsLinux())
            return threads == 1 ? 0 : Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        return ClockGetTime(threads == 1 ? ThreadClock : ProcessClock, out var time) == 0 ? time.Seconds + time.Nanoseconds * 1e-9 : 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // clock_gettime is the only portable way to read one thread's CPU time on Linux; benchmarks only.
#pragma warning disable CA5392, SYSLIB1054
    [DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGetTime(int clock, out TimeSpec time);
#pragma warning restore CA5392, SYSLIB1054

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
            var start = CpuSeconds(1);
            var lanes = Vector512.IsHardwareAccelerated ? FmaChains512(Iterations) : FmaChains256(Iterations);
            var seconds = CpuSeconds(1) - start;
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
