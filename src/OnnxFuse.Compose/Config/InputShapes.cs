using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Compose.Config;

/// <summary>Fixes a model's input shapes (symbolic or unknown dims become sizes) before fusion.</summary>
public static class InputShapes
{
    /// <summary>
    /// Sets each named input's shape. The rank must match and a fixed dim may not change; an unknown input name is an
    /// error listing the model's inputs.
    /// </summary>
    public static void Fix(Model model, string modelName, IReadOnlyDictionary<string, long[]> shapes)
    {
        foreach (var (name, dims) in shapes)
        {
            var input = model.Graph.Inputs.FirstOrDefault(v => v.Name == name && !v.IsInitializer)
                ?? throw new FusionException($"model '{modelName}' has no input '{name}' (inputs: {string.Join(", ", model.Graph.Inputs.Where(v => !v.IsInitializer).Select(v => v.Name))})");
            if (input.Type is not TensorType { Shape: var shape } tensor)
                throw new FusionException($"model '{modelName}': input '{name}' is not a tensor, so its shape cannot be fixed");
            if (shape is not null)
            {
                if (shape.Rank != dims.Length)
                    throw new FusionException($"model '{modelName}': input '{name}' has rank {shape.Rank} {shape}, the config gives {dims.Length} dims [{string.Join(", ", dims)}]");
                for (var i = 0; i < dims.Length; i++)
                    if (shape[i].Value is { } fixedSize && fixedSize != dims[i])
                        throw new FusionException($"model '{modelName}': input '{name}' dim {i} is {fixedSize}, the config says {dims[i]}");
            }
            input.Type = tensor with { Shape = Shape.Of(dims) };
        }
    }
}
