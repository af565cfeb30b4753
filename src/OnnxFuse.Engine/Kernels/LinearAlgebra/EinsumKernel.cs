using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.LinearAlgebra;

/// <summary>
/// Einsum over any number of numeric inputs of one type: output[out labels] = Σ over the other labels of ∏ inputs.
/// Each input first loses its repeated labels (diagonals) and the labels only it uses and the output does not (sums);
/// then the inputs are contracted left to right, each pair as a batch of matrix products (<see cref="EinsumOperand{T}.Contract"/>,
/// float32 through the GEMM); the result is summed and transposed into the output's label order. Labels of one letter
/// must have one size in every input (no broadcasting of size-1 axes). Intermediates come from the shared array pool.
/// </summary>
sealed class EinsumKernel(EinsumEquation equation) : Kernel
{
    public override void Run(KernelContext context)
    {
        var inputs = new RuntimeTensor[context.InputCount];
        Span<int> ranks = stackalloc int[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = context.Input(i);
            ranks[i] = inputs[i].Rank;
            if (inputs[i].ElementType != inputs[0].ElementType)
                Throw.ShapeMismatch($"Einsum inputs must share one type, got {inputs[0]} and {inputs[i]}");
        }
        if (equation.Resolve(ranks, out var error) is not var (inputLabels, outputLabels))
            throw new ShapeMismatchException(error!);
        Span<int> sizes = stackalloc int[EinsumEquation.EllipsisLabel + ShapeMath.MaxRank];
        sizes.Fill(-1);
        for (var i = 0; i < inputs.Length; i++)
        {
            for (var axis = 0; axis < inputLabels[i].Length; axis++)
            {
                ref var size = ref sizes[inputLabels[i][axis]];
                if (size >= 0 && size != inputs[i].Dim(axis))
                    Throw.ShapeMismatch($"Einsum label '{LabelName(inputLabels[i][axis])}' has sizes {size} and {inputs[i].Dim(axis)}");
                size = inputs[i].Dim(axis);
            }
        }
        Span<int> dims = stackalloc int[outputLabels.Length];
        for (var i = 0; i < dims.Length; i++)
            dims[i] = sizes[outputLabels[i]];
        var output = context.Output(0, inputs[0].ElementType, dims);
        var action = new Action(inputs, inputLabels, outputLabels, output, context.ThreadCount);
        ElementDispatch.Numeric(output.ElementType, ref action);
    }

    static string LabelName(int label) => label < EinsumEquation.EllipsisLabel ? ((char)label).ToString() : "...";

    public static void Compute<T>(RuntimeTensor[] inputs, int[][] inputLabels, int[] outputLabels, int threadCount, Span<T> output)
        where T : unmanaged, INumber<T>
    {
        var operands = new EinsumOperand<T>[inputs.Length];
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                var operand = EinsumOperand<T>.Copy(inputs[i].Read<T>(), inputs[i].Dims, inputLabels[i]);
                while (operand.RepeatedLabel() is var label and >= 0)
                    Replace(ref operand, operand.Diagonal(label));
                var index = i;
                operands[i] = operand;
                Replace(ref operands[i], operand.SumOut(l => outputLabels.Contains(l)
                    || inputLabels.Where((_, other) => other != index).Any(labels => labels.Contains(l))));
            }
            var result = operands[0];
            operands[0] = null!;
            for (var i = 1; i < operands.Length; i++)
            {
                var later = inputLabels.Skip(i + 1).SelectMany(l => l).ToHashSet();
                Replace(ref result, result.Contract(operands[i], l => outputLabels.Contains(l) || later.Contains(l), threadCount));
            }
            Replace(ref result, result.SumOut(l => outputLabels.Contains(l)));
            var order = outputLabels.Select(l => Array.IndexOf(result.Labels, l)).ToArray();
            using var ordered = result.Permute(order);
            result.Dispose();
            ordered.Values.CopyTo(output);
        }
        finally
        {
            foreach (var operand in operands)
                operand?.Dispose();
        }
    }

    /// <summary>Disposes <paramref name="operand"/> and puts <paramref name="next"/> in its place.</summary>
    static void Replace<T>(ref EinsumOperand<T> operand, EinsumOperand<T> next) where T : unmanaged, INumber<T>
    {
        operand.Dispose();
        operand = next;
    }

    readonly struct Action(RuntimeTensor[] inputs, int[][] inputLabels, int[] outputLabels, RuntimeTensor output, int threadCount) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T> => Compute(inputs, inputLabels, outputLabels, threadCount, output.Write<T>());
    }
}
