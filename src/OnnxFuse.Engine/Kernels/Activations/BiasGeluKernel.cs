using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Kernels.Threading;
using OnnxFuse.Engine.Simd;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Activations;

/// <summary>
/// com.microsoft BiasGelu and FastGelu (float32): y = gelu(x + bias), bias [hidden] added to every row of x [.., hidden].
/// <typeparamref name="TGelu"/> is the exact (erf) form for BiasGelu, whose bias is required, and the tanh
/// approximation for FastGelu, whose bias (input 1) is optional. Rows are split over the intra-op threads.
/// </summary>
sealed class BiasGeluKernel<TGelu> : Kernel where TGelu : struct, Simd.IUnaryOp
{
    public override unsafe void Run(KernelContext context)
    {
        var input = context.Input(0);
        if (input.ElementType != ElementType.Float)
            Throw.ShapeMismatch($"BiasGelu and FastGelu support float32 only, got {input.ElementType.DisplayName()}");
        var output = context.Output(0, ElementType.Float, input.Dims);
        var bias = context.OptionalInput(1) is { } b ? b.Read<float>() : default;
        var x = input.Read<float>();
        CheckBias(x.Length, bias);
        // Without a bias any split works, so each value is a row of its own.
        var rowSize = Math.Max(1, bias.Length);
        fixed (float* xp = x, bp = bias, yp = output.Write<float>())
            ParallelRows.Run(new Rows(xp, bp, bias.Length, yp), x.Length / rowSize, rowSize, context.ThreadCount);
    }

    /// <summary>Values GELU runs over at a time: whole rows of about 4 KiB, so each sum is still in L1 when GELU reads it.</summary>
    const int ChunkValues = 1024;

    /// <summary>output = gelu(input + bias); an empty <paramref name="bias"/> adds nothing.</summary>
    public static void Compute(ReadOnlySpan<float> input, ReadOnlySpan<float> bias, Span<float> output)
    {
        CheckBias(input.Length, bias);
        if (bias.IsEmpty)
        {
            UnaryDriver.Run<TGelu>(input, output);
            return;
        }
        var chunk = Math.Max(1, ChunkValues / bias.Length) * bias.Length;
        for (var start = 0; start < input.Length; start += chunk)
        {
            var rows = output.Slice(start, Math.Min(chunk, input.Length - start));
            for (var offset = 0; offset < rows.Length; offset += bias.Length)
                ArithmeticKernel.Add(input.Slice(start + offset, bias.Length), bias, rows.Slice(offset, bias.Length));
            UnaryDriver.Run<TGelu>(rows, rows);
        }
    }

    static void CheckBias(int inputLength, ReadOnlySpan<float> bias)
    {
        if (!bias.IsEmpty && inputLength % bias.Length != 0)
            Throw.ShapeMismatch($"bias of {bias.Length} values does not repeat over an input of {inputLength}");
    }

    /// <summary>Pinned operands of one call; rows are <c>biasLength</c> values, or single values without a bias.</summary>
    unsafe readonly struct Rows(float* input, float* bias, int biasLength, float* output) : IRowWork
    {
        public void Run(int firstRow, int endRow)
        {
            var rowSize = Math.Max(1, biasLength);
            var (start, length) = ((nint)firstRow * rowSize, (endRow - firstRow) * rowSize);
            Compute(new ReadOnlySpan<float>(input + start, length), new ReadOnlySpan<float>(bias, biasLength), new Span<float>(output + start, length));
        }
    }
}
