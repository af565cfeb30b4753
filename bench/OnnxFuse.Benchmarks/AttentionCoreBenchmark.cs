using System.Diagnostics;
using System.Globalization;
using OnnxFuse.Engine.Kernels.Attention;
using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Benchmarks;

/// <summary>
/// The <c>attention-core [SEQ] [HEADS] [HEAD_SIZE] [--causal] [--seconds N]</c> verb: times the attention core alone
/// (<see cref="ScaledDotProductAttention"/>) on Attention's layout (Q, K and V column ranges of one [1, SEQ, 3·N·H]
/// projection, a key-padding mask whose last eighth is masked; defaults 128, 4, 64: bert_mini), on its two paths,
/// tiles (Vector256 micro-kernel, nothing packed per product) and gemm (two <see cref="GemmKernel"/> calls per block),
/// next to the layer's QKV projection (SEQ × 3·N·H × N·H, weights prepacked) as the big-GEMM rate. Runs round-robin,
/// one run of each in turn, so the ratios hold on a shared machine; prints median and best per run and the
/// multiply-add rate as a share of the big GEMM's, all from the same process.
/// </summary>
static class AttentionCoreBenchmark
{
    public static int Run(string[] args)
    {
        var causal = args.Contains("--causal");
        var secondsAt = Array.IndexOf(args, "--seconds");
        var seconds = secondsAt >= 0 ? double.Parse(args[secondsAt + 1], CultureInfo.InvariantCulture) : 3.0;
        var numbers = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (secondsAt < 0 || i != secondsAt + 1))
            .Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var tokens = numbers.Length > 0 ? numbers[0] : 128;
        var heads = numbers.Length > 1 ? numbers[1] : 4;
        var headSize = numbers.Length > 2 ? numbers[2] : 64;
        var hidden = heads * headSize;
        var width = 3 * hidden;

        var random = new Random(1);
        var projection = Random(random, tokens * width);
        var mask = Enumerable.Range(0, tokens).Select(i => i < tokens - tokens / 8 ? 0f : -10000f).ToArray();
        var output = new float[tokens * hidden];
        var input = Random(random, tokens * hidden);
        var weights = GemmKernel.PackB(Random(random, hidden * width), hidden, width);
        var projected = new float[tokens * width];
        var coreMacs = 2.0 * heads * tokens * tokens * headSize;
        var gemmMacs = (double)tokens * width * hidden;

        Console.WriteLine($"attention core S={tokens} heads={heads} head size={headSize}{(causal ? " causal" : "")}: {coreMacs / 1e6:F2} M multiply-adds; "
            + $"big GEMM {tokens}×{width}×{hidden} ({gemmMacs / 1e6:F1} M); SIMD {SimdCapability.Width}");
        Console.WriteLine($"{"threads",7} {"case",-8} {"median µs",10} {"best µs",9} {"GMAC/s",8} {"÷ big GEMM rate",16} {"÷ gemm path time",17}");
        foreach (var threads in new[] { 1, 2 })
        {
            var p = new AttentionParameters(1, heads, tokens, tokens, headSize, headSize)
            {
                Scale = 1f / MathF.Sqrt(headSize),
                Causal = causal,
                Query = new TokenLayout(0, width, tokens * width),
                Key = new TokenLayout(hidden, width, tokens * width),
                Value = new TokenLayout(2 * hidden, width, tokens * width),
                Output = TokenLayout.Contiguous(tokens, hidden),
                MaskBatchStride = tokens,
                ThreadCount = threads,
            };
            var projectionParameters = new GemmParameters(tokens, width, hidden) { ThreadCount = threads };
            Action[] cases =
            [
                () => GemmKernel.Run(input, weights, [], projectionParameters, projected),
                () => ScaledDotProductAttention.Run(projection, projection, projection, mask, [], p, SimdWidth.Vector256, output),
                () => ScaledDotProductAttention.Run(projection, projection, projection, mask, [], p, SimdWidth.Scalar, output),
            ];
            var times = Interleaved(cases, seconds);
            var gemmRate = gemmMacs / times[0][times[0].Length / 2];
            string[] names = ["big GEMM", "tiles", "gemm"];
            for (var c = 0; c < cases.Length; c++)
            {
                var median = times[c][times[c].Length / 2];
                var macs = c == 0 ? gemmMacs : coreMacs;
                var share = c == 0 ? "" : (macs / median / gemmRate).ToString("P0", CultureInfo.InvariantCulture);
                var ratio = c == 0 ? "" : (median / times[2][times[2].Length / 2]).ToString("F2", CultureInfo.InvariantCulture);
                Console.WriteLine($"{threads,7} {names[c],-8} {median * 1e6,10:F1} {times[c][0] * 1e6,9:F1} {macs / median / 1e9,8:F1} {share,16} {ratio,17}");
            }
        }
        return 0;
    }

    /// <summary>Seconds per run of each case, sorted, from runs taken one of each in turn after a warm-up.</summary>
    static double[][] Interleaved(Action[] cases, double seconds)
    {
        var times = cases.Select(_ => new List<double>()).ToArray();
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < Math.Min(1.0, seconds / 3))
            foreach (var run in cases)
                run();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            for (var c = 0; c < cases.Length; c++)
            {
                var start = Stopwatch.GetTimestamp();
                cases[c]();
                times[c].Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        }
        return [.. times.Select(t => t.Order().ToArray())];
    }

    static float[] Random(Random random, int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
