using System.Numerics.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Nn;

/// <summary>GlobalAveragePool / GlobalMaxPool (float32): X [N, C, spatial…] → Y [N, C, 1, …, 1].</summary>
sealed class GlobalPoolKernel(bool isMax) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        Span<int> dims = stackalloc int[x.Rank];
        dims.Fill(1);
        dims[0] = x.Dim(0);
        dims[1] = x.Dim(1);
        var output = context.Output(0, ElementType.Float, dims);
        Compute(x.Read<float>(), x.Dim(0) * x.Dim(1), isMax, output.Write<float>());
    }

    public static void Compute(ReadOnlySpan<float> input, int planeCount, bool isMax, Span<float> output)
    {
        var planeSize = planeCount == 0 ? 0 : input.Length / planeCount;
        for (var plane = 0; plane < planeCount; plane++)
        {
            var values = input.Slice(plane * planeSize, planeSize);
            output[plane] = isMax ? TensorPrimitives.Max(values) : TensorPrimitives.Sum(values) / planeSize;
        }
    }
}
