using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.LinearAlgebra;

/// <summary>Det: the determinant of each square matrix in the last two dimensions ([*, M, M] → [*]), by LU decomposition with partial pivoting in double.</summary>
sealed class DeterminantKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        if (input.Rank < 2 || input.Dim(input.Rank - 1) != input.Dim(input.Rank - 2))
            Throw.ShapeMismatch($"Det needs square matrices in the last two dimensions, got {input}");
        var output = context.Output(0, input.ElementType, input.Dims[..^2]);
        var action = new Action(input, output, input.Dim(input.Rank - 1));
        ElementDispatch.Float(input.ElementType, ref action);
    }

    public static double Determinant(Span<double> matrix, int size)
    {
        var determinant = 1.0;
        for (var column = 0; column < size; column++)
        {
            var pivot = column;
            for (var row = column + 1; row < size; row++)
                if (Math.Abs(matrix[row * size + column]) > Math.Abs(matrix[pivot * size + column]))
                    pivot = row;
            if (matrix[pivot * size + column] == 0)
                return 0;
            if (pivot != column)
            {
                for (var k = 0; k < size; k++)
                    (matrix[pivot * size + k], matrix[column * size + k]) = (matrix[column * size + k], matrix[pivot * size + k]);
                determinant = -determinant;
            }
            var diagonal = matrix[column * size + column];
            determinant *= diagonal;
            for (var row = column + 1; row < size; row++)
            {
                var factor = matrix[row * size + column] / diagonal;
                for (var k = column; k < size; k++)
                    matrix[row * size + k] -= factor * matrix[column * size + k];
            }
        }
        return determinant;
    }

    readonly struct Action(RuntimeTensor input, RuntimeTensor output, int size) : IFloatAction
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var x = input.Read<T>();
            var y = output.Write<T>();
            var matrix = new double[size * size];
            for (var m = 0; m < y.Length; m++)
            {
                for (var i = 0; i < matrix.Length; i++)
                    matrix[i] = double.CreateTruncating(x[m * matrix.Length + i]);
                y[m] = T.CreateTruncating(Determinant(matrix, size));
            }
        }
    }
}
