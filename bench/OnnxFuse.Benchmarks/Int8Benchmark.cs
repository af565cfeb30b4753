using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OnnxFuse.Engine;
using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Engine.Kernels.Quantization;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Benchmarks;

/// <summary>
/// The <c>int8 [--quick] [--depthwise|--pointwise]</c> verb, one thread: GOP/s of the int8 GEMM (A packed per call, B prepacked, requantized
/// uint8 output, one multiplier or per-column multipliers and bias) against the float32 GEMM (B prepacked) on the same shapes, then one-node QLinearConv models against
/// float Conv models of MobileNet-like layers through <see cref="InferenceSession"/>, then (alone with <c>--depthwise</c>)
/// mobilenet_v2's depthwise layers through each <see cref="DepthwiseSums"/> against the float kernel; with <c>--pointwise</c>
/// alone, mobilenet_v2's 1×1 layers and stem split into packing and GEMM (<see cref="PointwiseParts"/>). Wall-clock medians;
/// no assertions.
/// </summary>
static class Int8Benchmark
{
    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var minSeconds = quick ? 0.3 : 1.0;
        if (args.Contains("--depthwise"))
            return DepthwiseRoutes(minSeconds);
        if (args.Contains("--pointwise"))
            return PointwiseParts(minSeconds);
        var kernel = Int8Gemm.UsesAvxVnni ? "AVX-VNNI vpdpwssd (int16 pairs) and vpdpbusd (u8 × s8 quads)"
            : Int8Gemm.UsesVector256 ? "AVX2 vpmaddwd (int16 pairs)" : "scalar";
        Console.WriteLine($"int8 micro-kernel: {kernel}; float GEMM: {GemmKernel.DefaultVariant}; Vector512 accelerated: {Vector512.IsHardwareAccelerated}; 1 thread");
        Console.WriteLine($"{"M×N×K",-16} {"float GOP/s",12} {"int8 GOP/s",11} {"int8→i32",9} {"per-column",11} {"speed-up",9} {"quads GOP/s",12}");
        (int M, int N, int K)[] shapes = quick ? [(256, 1024, 256), (2048, 2048, 2048)] : [(256, 1024, 256), (512, 512, 512), (64, 4096, 1024), (2048, 2048, 2048)];
        foreach (var (rows, columns, depth) in shapes)
        {
            var random = new Random(1);
            var a = new float[rows * depth];
            var b = new float[depth * columns];
            var c = new float[rows * columns];
            for (var i = 0; i < a.Length; i++)
                a[i] = random.NextSingle();
            for (var i = 0; i < b.Length; i++)
                b[i] = random.NextSingle();
            var packedFloat = PackedMatrix.PackB(b, depth, columns, false, 0, GemmKernel.DefaultVariant);
            var p = new GemmParameters(rows, columns, depth) { ThreadCount = 1 };
            var floatSeconds = Median(() => GemmKernel.Run(a, packedFloat, [], p, c), minSeconds);

            var a8 = new byte[rows * depth];
            var b8 = new byte[depth * columns];
            random.NextBytes(a8);
            random.NextBytes(b8);
            var packedB = Int8Operands.PackColumns(b8, true, depth, columns, columns, 1, [], new int[Int8PackedColumns.Length(depth, columns)]);
            var rowBuffer = new int[Int8PackedRows.Length(rows, depth)];
            var y = new byte[rows * columns];
            var y32 = new int[rows * columns];
            float[] multiplier = [0.0001f];
            var int8Seconds = Median(() =>
            {
                var packedA = Int8Operands.PackRows(a8, false, rows, depth, depth, 1, [128], rowBuffer);
                Int8Gemm.MultiplyRequantized<byte>(packedA, packedB, multiplier, [], false, 128, y, 1, Int8Gemm.UsesVector256);
            }, minSeconds);
            var int32Seconds = Median(() =>
            {
                var packedA = Int8Operands.PackRows(a8, false, rows, depth, depth, 1, [128], rowBuffer);
                Int8Gemm.MultiplyToInt32(packedA, packedB, y32, 1, Int8Gemm.UsesVector256);
            }, minSeconds);
            // QLinearMatMul's and QGemm's case: multipliers and bias per column.
            var columnMultipliers = Enumerable.Range(0, columns).Select(i => 0.0001f + i * 1e-8f).ToArray();
            var columnBias = Enumerable.Range(0, columns).Select(i => i * 10).ToArray();
            var perColumnSeconds = Median(() =>
            {
                var packedA = Int8Operands.PackRows(a8, false, rows, depth, depth, 1, [128], rowBuffer);
                Int8Gemm.MultiplyRequantized<byte>(packedA, packedB, columnMultipliers, columnBias, false, 128, y, 1, Int8Gemm.UsesVector256);
            }, minSeconds);
            var ops = 2.0 * rows * columns * depth;
            var quads = Int8Gemm.UsesAvxVnni ? $"{ops / QuadSeconds(a8, b8, rows, columns, depth, minSeconds) / 1e9,12:F1}" : $"{"–",12}";
            Console.WriteLine($"{$"{rows}×{columns}×{depth}",-16} {ops / floatSeconds / 1e9,12:F1} {ops / int8Seconds / 1e9,11:F1} {ops / int32Seconds / 1e9,9:F1} "
                + $"{ops / perColumnSeconds / 1e9,11:F1} {floatSeconds / int8Seconds,8:F2}× {quads}");
        }

        Console.WriteLine();
        Console.WriteLine("One-node models, N = 1, 1 thread, ms per run (medians, runs alternated): float Conv vs QLinearConv (u8 activations, s8 per-channel weights)");
        Console.WriteLine($"{"layer",-30} {"Conv ms",9} {"QLinearConv ms",15} {"speed-up",9}");
        var layers = new (string Name, long[] Input, long[] Weight, Attr[] Attributes)[]
        {
            ("stem 3→32 3×3 s2 224²", [1, 3, 224, 224], [32, 3, 3, 3], [Attr.Ints("strides", [2, 2]), Attr.Ints("pads", [1, 1, 1, 1])]),
            ("expand 1×1 24→144 56²", [1, 24, 56, 56], [144, 24, 1, 1], []),
            ("depthwise 3×3 144 56²", [1, 144, 56, 56], [144, 1, 3, 3], [Attr.Ints("pads", [1, 1, 1, 1]), Attr.Int("group", 144)]),
            ("project 1×1 144→24 56²", [1, 144, 56, 56], [24, 144, 1, 1], []),
            ("depthwise 3×3 576 14²", [1, 576, 14, 14], [576, 1, 3, 3], [Attr.Ints("pads", [1, 1, 1, 1]), Attr.Int("group", 576)]),
            ("depthwise 3×3 960 7²", [1, 960, 7, 7], [960, 1, 3, 3], [Attr.Ints("pads", [1, 1, 1, 1]), Attr.Int("group", 960)]),
            ("expand 1×1 16→96 112²", [1, 16, 112, 112], [96, 16, 1, 1], []),
            ("project 1×1 960→320 7²", [1, 960, 7, 7], [320, 960, 1, 1], []),
            ("3×3 64→64 56²", [1, 64, 56, 56], [64, 64, 3, 3], [Attr.Ints("pads", [1, 1, 1, 1])]),
            ("1×1 320→1280 7²", [1, 320, 7, 7], [1280, 320, 1, 1], []),
        };
        foreach (var (name, input, weight, attributes) in layers)
        {
            var (floatModel, floatFeeds) = FloatConv(input, weight, attributes);
            var (quantModel, quantFeeds) = QuantizedConv(input, weight, attributes);
            using var floatSession = InferenceSession.Create(floatModel, new EngineOptions { ThreadCount = 1 });
            using var quantSession = InferenceSession.Create(quantModel, new EngineOptions { ThreadCount = 1 });
            var medians = InterleavedMedians(minSeconds, () => floatSession.Run(floatFeeds), () => quantSession.Run(quantFeeds));
            var (floatSeconds, quantSeconds) = (medians[0], medians[1]);
            Console.WriteLine($"{name,-30} {floatSeconds * 1e3,9:F3} {quantSeconds * 1e3,15:F3} {floatSeconds / quantSeconds,8:F2}×");
        }
        Console.WriteLine();
        return DepthwiseRoutes(minSeconds);
    }

    /// <summary>
    /// The AVX-VNNI quad route as a convolution runs it: A (s8 weights) packed once, B (u8 activations) packed per call, requantized
    /// uint8 output; seconds per call.
    /// </summary>
    static double QuadSeconds(byte[] a8, byte[] b8, int rows, int columns, int depth, double minSeconds)
    {
        var packedA = Int8QuadRows.TryPack<sbyte>(MemoryMarshal.Cast<byte, sbyte>(a8), rows, depth, depth, 1, [])!;
        var columnBuffer = new int[Int8QuadColumns.Length(depth, columns)];
        var y = new byte[rows * columns];
        float[] multiplier = [0.0001f];
        return Median(() =>
        {
            var packedB = Int8QuadColumns.Pack(b8, false, 128, depth, columns, columnBuffer, vector: true, threadCount: 1);
            Int8GemmQuads.MultiplyRequantized<byte>(packedA, packedB, multiplier, [], 128, y, 1, vector: true);
        }, minSeconds);
    }

    /// <summary>
    /// mobilenet_v2's 3×3 depthwise layers (u8 input, s8 per-channel weights, requantized u8 output) through each channel sum
    /// of <see cref="QuantizedDepthwiseConv"/>, against <see cref="DepthwiseConvKernel"/> on the same shape in float, the
    /// three alternated run by run.
    /// </summary>
    static int DepthwiseRoutes(double minSeconds)
    {
        Console.WriteLine("Depthwise 3×3 kernels, N = 1, 1 thread, ms per call (medians, runs alternated); ratios ÷ float");
        Console.WriteLine($"{"layer",-22} {"float",8} {"int16 pairs",12} {"float sums",11} {"interleaved",12} {"pairs ÷ f",10} {"sums ÷ f",9} {"inter ÷ f",10}");
        (int Channels, int Size, int Stride)[] layers =
            [(32, 112, 1), (96, 112, 2), (144, 56, 1), (144, 56, 2), (192, 28, 1), (192, 28, 2), (384, 14, 1), (576, 14, 1), (576, 14, 2), (960, 7, 1)];
        foreach (var (channels, size, stride) in layers)
        {
            var p = new ConvParameters(1, channels, size, size, channels, 3, 3)
            {
                StrideHeight = stride,
                StrideWidth = stride,
                PadTop = 1,
                PadLeft = 1,
                PadBottom = 1,
                PadRight = 1,
                GroupCount = channels,
            };
            var random = new Random(1);
            var floatInput = new float[channels * size * size];
            for (var i = 0; i < floatInput.Length; i++)
                floatInput[i] = random.NextSingle();
            var floatWeights = new float[channels * 9];
            for (var i = 0; i < floatWeights.Length; i++)
                floatWeights[i] = random.NextSingle() - 0.5f;
            var floatOutput = new float[channels * p.OutputHeight * p.OutputWidth];
            var input = new byte[floatInput.Length];
            var weights = new byte[floatWeights.Length];
            random.NextBytes(input);
            random.NextBytes(weights);
            var multipliers = Enumerable.Range(0, channels).Select(i => 0.0004f + i * 1e-6f).ToArray();
            var bias = Enumerable.Range(0, channels).Select(i => i * 10).ToArray();
            var output = new RuntimeTensor();
            output.Allocate(ElementType.UInt8, [1, channels, p.OutputHeight, p.OutputWidth], new BufferPool());
            var spatial = p.OutputHeight * p.OutputWidth;
            var target = new QuantizedConvTarget(output, multipliers, bias, 120, channels * spatial, spatial);
            var times = InterleavedMedians(minSeconds,
                () => DepthwiseConvKernel.Run(floatInput, floatWeights, floatWeights.AsSpan(0, channels), p, floatOutput),
                () => QuantizedDepthwiseConv.Run(input, false, 128, weights, true, [], p, target, DepthwiseSums.Int16Pairs),
                () => QuantizedDepthwiseConv.Run(input, false, 128, weights, true, [], p, target, DepthwiseSums.Float),
                () => QuantizedDepthwiseConv.Run(input, false, 128, weights, true, [], p, target, DepthwiseSums.Interleaved));
            Console.WriteLine($"{$"{channels} {size}² s{stride}",-22} {times[0] * 1e3,8:F3} {times[1] * 1e3,12:F3} {times[2] * 1e3,11:F3} "
                + $"{times[3] * 1e3,12:F3} {times[1] / times[0],10:F2} {times[2] / times[0],9:F2} {times[3] / times[0],10:F2}");
        }
        return 0;
    }

    /// <summary>
    /// mobilenet_v2's 1×1 layers and its stem (u8 activations, s8 per-channel weights, u8 output), one thread: the whole
    /// <see cref="QuantizedConvKernel"/> path split into activation packing and the GEMM with the requantizing epilogue, and the
    /// same GEMM storing int32 instead, against the float GEMM route's convolution (<see cref="ConvKernel"/>) on the same shape.
    /// </summary>
    static int PointwiseParts(double minSeconds)
    {
        Console.WriteLine("Quantized conv parts, N = 1, 1 thread, ms per call (medians, runs alternated)");
        Console.WriteLine($"{"layer",-22} {"float",8} {"pack",8} {"gemm+rq",8} {"gemm i32",9} {"int8 ÷ f",9}");
        (int In, int Out, int Size, int Kernel)[] layers =
            [(3, 32, 224, 3), (16, 96, 112, 1), (24, 144, 56, 1), (144, 24, 56, 1), (32, 192, 28, 1), (64, 384, 14, 1), (96, 576, 14, 1),
             (576, 96, 14, 1), (160, 960, 7, 1), (960, 160, 7, 1), (960, 320, 7, 1), (320, 1280, 7, 1)];
        foreach (var (inputChannels, outputChannels, size, kernel) in layers)
        {
            var stride = kernel == 3 ? 2 : 1;
            var pad = kernel / 2;
            var p = new ConvParameters(1, inputChannels, size, size, outputChannels, kernel, kernel)
            {
                StrideHeight = stride,
                StrideWidth = stride,
                PadTop = pad,
                PadLeft = pad,
                PadBottom = pad,
                PadRight = pad,
            };
            var spatial = p.OutputHeight * p.OutputWidth;
            var random = new Random(1);
            var floatInput = new float[inputChannels * size * size];
            for (var i = 0; i < floatInput.Length; i++)
                floatInput[i] = random.NextSingle();
            var floatWeights = new float[outputChannels * p.PatchSize];
            for (var i = 0; i < floatWeights.Length; i++)
                floatWeights[i] = random.NextSingle() - 0.5f;
            var floatBias = new float[outputChannels];
            var floatOutput = new float[outputChannels * spatial];
            var packedFloat = ConvKernel.PackWeights(floatWeights, p);
            var input = new byte[floatInput.Length];
            var weights = new byte[floatWeights.Length];
            random.NextBytes(input);
            random.NextBytes(weights);
            var packedWeights = Int8Operands.PackRows(weights, true, outputChannels, p.PatchSize, p.PatchSize, 1, [],
                new int[Int8PackedRows.Length(outputChannels, p.PatchSize)]);
            var columns = new int[Int8PackedColumns.Length(p.PatchSize, spatial)];
            var multipliers = Enumerable.Range(0, outputChannels).Select(i => 0.0004f + i * 1e-6f).ToArray();
            var bias = Enumerable.Range(0, outputChannels).Select(i => i * 10).ToArray();
            var output = new RuntimeTensor();
            output.Allocate(ElementType.UInt8, [1, outputChannels, p.OutputHeight, p.OutputWidth], new BufferPool());
            var target = new QuantizedConvTarget(output, multipliers, bias, 120, outputChannels * spatial, spatial);
            var int32 = new int[outputChannels * spatial];
            var packed = QuantizedIm2Col.Pack<byte>(input, 128, p, columns);
            var times = InterleavedMedians(minSeconds,
                () => ConvKernel.Run(floatInput, packedFloat, floatBias, p, floatOutput),
                () => QuantizedIm2Col.Pack<byte>(input, 128, p, columns),
                () => target.Multiply(packedWeights, packed, 0, 0, 1),
                () => Int8Gemm.MultiplyToInt32(packedWeights, packed, int32, 1, Int8Gemm.UsesVector256));
            Console.WriteLine($"{$"{inputChannels}→{outputChannels} {kernel}×{kernel} {size}²",-22} {times[0] * 1e3,8:F3} {times[1] * 1e3,8:F3} "
                + $"{times[2] * 1e3,8:F3} {times[3] * 1e3,9:F3} {(times[1] + times[2]) / times[0],9:F2}");
        }
        return 0;
    }

    static (Model, Dictionary<string, TensorData>) FloatConv(long[] input, long[] weight, Attr[] attributes)
    {
        var builder = new GraphBuilder(opset: 17);
        var x = builder.Input("x", ElementType.Float, [.. input.Select(d => (Ir.Types.Dim)d)]);
        var w = builder.RandomInitializer("w", 2, weight);
        var bias = builder.RandomInitializer("b", 3, weight[0]);
        builder.Output(builder.Node("Conv", [x, w, bias], attributes), "y");
        var values = new float[input.Aggregate(1L, (a, b) => a * b)];
        var random = new Random(1);
        for (var i = 0; i < values.Length; i++)
            values[i] = random.NextSingle();
        return (builder.Build(), new() { ["x"] = TensorData.Create<float>(input, values) });
    }

    static (Model, Dictionary<string, TensorData>) QuantizedConv(long[] input, long[] weight, Attr[] attributes)
    {
        var builder = new GraphBuilder(opset: 17);
        var random = new Random(1);
        var x = builder.Input("x", ElementType.UInt8, [.. input.Select(d => (Ir.Types.Dim)d)]);
        var weights = new byte[weight.Aggregate(1L, (a, b) => a * b)];
        random.NextBytes(weights);
        var channels = (int)weight[0];
        var w = builder.Initializer("w", TensorData.Create<sbyte>(weight, [.. weights.Select(v => unchecked((sbyte)v))]));
        var wScale = builder.Initializer("w_scale", TensorData.Create<float>([channels], [.. Enumerable.Range(0, channels).Select(i => 0.001f + i * 1e-5f)]));
        var wZero = builder.Initializer("w_zero", TensorData.Create<sbyte>([channels], new sbyte[channels]));
        var bias = builder.Initializer("b", TensorData.Create<int>([channels], [.. Enumerable.Range(0, channels).Select(i => i * 10)]));
        var xScale = builder.Initializer("x_scale", TensorData.Scalar(0.02f));
        var xZero = builder.Initializer("x_zero", TensorData.Scalar((byte)128));
        var yScale = builder.Initializer("y_scale", TensorData.Scalar(0.05f));
        var yZero = builder.Initializer("y_zero", TensorData.Scalar((byte)120));
        builder.Output(builder.Node("QLinearConv", [x, xScale, xZero, w, wScale, wZero, yScale, yZero, bias], attributes), "y");
        var values = new byte[input.Aggregate(1L, (a, b) => a * b)];
        random.NextBytes(values);
        return (builder.Build(), new() { ["x"] = TensorData.Create<byte>(input, values) });
    }

    static double Median(Action action, double minSeconds)
    {
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < minSeconds / 3)
            action();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 3 || total.Elapsed.TotalSeconds < minSeconds && times.Count < 1000)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Medians of actions run in alternation, so load on a shared machine falls on all alike.</summary>
    static double[] InterleavedMedians(double minSeconds, params Action[] actions)
    {
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < minSeconds / 3)
        {
            foreach (var action in actions)
                action();
        }
        var times = actions.Select(_ => new List<double>()).ToArray();
        var total = Stopwatch.StartNew();
        while (times[0].Count < 3 || total.Elapsed.TotalSeconds < actions.Length * minSeconds && times[0].Count < 1000)
        {
            for (var i = 0; i < actions.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                actions[i]();
                times[i].Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        }
        return [.. times.Select(t => t.Order().ElementAt(t.Count / 2))];
    }
}
