using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Compose;

/// <summary>
/// The fused main graph's weights, stored once: a weight identical to one already added (same element type,
/// dimensions and bytes) is the same value, whichever model it came from and whatever its name.
/// </summary>
sealed class WeightPool(Graph graph)
{
    readonly Dictionary<int, List<Value>> _byHash = [];

    /// <summary>Initializers added so far, deduplicated.</summary>
    public List<Value> Weights { get; } = [];

    /// <summary>Weights that were requested again and shared instead of stored twice.</summary>
    public int SharedCount { get; private set; }

    public Value Add(string name, TensorData data)
    {
        var hash = Hash(data);
        if (!_byHash.TryGetValue(hash, out var bucket))
            _byHash.Add(hash, bucket = []);
        foreach (var existing in bucket)
        {
            if (existing.Initializer!.ContentEquals(data))
            {
                SharedCount++;
                return existing;
            }
        }
        var value = graph.AddInitializer(name, data);
        bucket.Add(value);
        Weights.Add(value);
        return value;
    }

    static int Hash(TensorData data)
    {
        var hash = new HashCode();
        hash.Add(data.ElementType);
        foreach (var dim in data.Dims)
            hash.Add(dim);
        if (data.Strings is { } strings)
            foreach (var s in strings)
                hash.AddBytes(s);
        else
            hash.AddBytes(data.Bytes.Span);
        return hash.ToHashCode();
    }
}
