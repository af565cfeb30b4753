using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>ScatterElements' and ScatterND's <c>reduction</c>: how an update combines with the element it lands on.</summary>
enum ScatterReduction
{
    None,
    Add,
    Mul,
    Max,
    Min,
}

/// <summary>Parsing and applying <see cref="ScatterReduction"/>.</summary>
static class ScatterReductions
{
    public static ScatterReduction? Parse(string name) => name switch
    {
        "none" => ScatterReduction.None,
        "add" => ScatterReduction.Add,
        "mul" => ScatterReduction.Mul,
        "max" => ScatterReduction.Max,
        "min" => ScatterReduction.Min,
        _ => null,
    };

    /// <summary>
    /// target[targetOffsets[i] + j] = reduce(target[…], updates[updateOffsets[i] + j]) for j below <paramref name="length"/>,
    /// in order (later updates of one element see earlier ones, as the spec's loop). Offsets and length count elements.
    /// </summary>
    public static void Apply(ScatterReduction reduction, RuntimeTensor updates, ReadOnlySpan<int> updateOffsets, ReadOnlySpan<int> targetOffsets,
        int length, RuntimeTensor target)
    {
        if (reduction == ScatterReduction.None)
        {
            var size = target.ElementSize;
            var source = updates.Bytes;
            var destination = target.Write<byte>();
            for (var i = 0; i < targetOffsets.Length; i++)
                source.Slice(updateOffsets[i] * size, length * size).CopyTo(destination.Slice(targetOffsets[i] * size, length * size));
            return;
        }
        var action = new Action(reduction, updates, updateOffsets, targetOffsets, length, target);
        ElementDispatch.Numeric(target.ElementType, ref action);
    }

    readonly ref struct Action(ScatterReduction reduction, RuntimeTensor updates, ReadOnlySpan<int> updateOffsets, ReadOnlySpan<int> targetOffsets,
        int length, RuntimeTensor target) : INumericAction
    {
        readonly ReadOnlySpan<int> _updateOffsets = updateOffsets;
        readonly ReadOnlySpan<int> _targetOffsets = targetOffsets;

        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            var source = updates.Read<T>();
            var destination = target.Write<T>();
            for (var i = 0; i < _targetOffsets.Length; i++)
            {
                for (var j = 0; j < length; j++)
                {
                    ref var element = ref destination[_targetOffsets[i] + j];
                    var update = source[_updateOffsets[i] + j];
                    element = reduction switch
                    {
                        ScatterReduction.Add => element + update,
                        ScatterReduction.Mul => element * update,
                        ScatterReduction.Max => T.Max(element, update),
                        ScatterReduction.Min => T.Min(element, update),
                        _ => Throw.ShapeMismatch<T>($"unknown scatter reduction {reduction}"),
                    };
                }
            }
        }
    }
}
