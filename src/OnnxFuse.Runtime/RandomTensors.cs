using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Runtime;

/// <summary>
/// Seeded random inputs for a model's declared inputs: floats uniform in [-1, 1), integers 0 or 1 (valid
/// token ids, segment ids, masks and indices for any model), bools at random. Symbolic or unknown dims become 1.
/// </summary>
public static class RandomTensors
{
    public static TensorData For(ValueDescription input, int seed)
    {
        var dims = input.Shape?.Select(d => d.Value ?? 1).ToArray() ?? [];
        var count = (int)dims.Aggregate(1L, (n, d) => n * d);
        var random = new Random(seed);
        return input.ElementType switch
        {
            ElementType.Float => TensorData.Create<float>(dims, Fill(count, () => (random.NextSingle() * 2) - 1)),
            ElementType.Double => TensorData.Create<double>(dims, Fill(count, () => (random.NextDouble() * 2) - 1)),
            ElementType.Float16 => TensorData.Create<Half>(dims, Fill(count, () => (Half)((random.NextSingle() * 2) - 1))),
            ElementType.Int64 => TensorData.Create<long>(dims, Fill(count, () => (long)random.Next(2))),
            ElementType.Int32 => TensorData.Create<int>(dims, Fill(count, () => random.Next(2))),
            ElementType.Int8 => TensorData.Create<sbyte>(dims, Fill(count, () => (sbyte)random.Next(2))),
            ElementType.UInt8 => TensorData.Create<byte>(dims, Fill(count, () => (byte)random.Next(2))),
            ElementType.Bool => TensorData.FromBytes(ElementType.Bool, dims, Fill(count, () => (byte)random.Next(2))),
            _ => Throw.UnsupportedOp<TensorData>($"cannot make random data for input '{input.Name}' of type {input.ElementType.DisplayName()}"),
        };
    }

    /// <summary>Values for every input of <paramref name="model"/> that has no default, the k-th of them seeded <paramref name="seed"/> + k.</summary>
    public static Dictionary<string, TensorData> ForModel(Model model, int seed) =>
        model.Graph.Inputs.Where(i => !i.IsInitializer).Select((input, i) =>
            (input.Name, Data: For(new ValueDescription(input.Name, input.ElementType!.Value, input.Shape), seed + i)))
            .ToDictionary(p => p.Name, p => p.Data, StringComparer.Ordinal);

    static T[] Fill<T>(int count, Func<T> next)
    {
        var values = new T[count];
        for (var i = 0; i < values.Length; i++)
            values[i] = next();
        return values;
    }
}
