using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Opsets;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes;

/// <summary>
/// Layer fusion's entry point: <see cref="Analyze"/> lists the opportunities (matching alone),
/// <see cref="Optimize"/> returns an optimized copy and the record of every fusion made.
/// </summary>
public static class Optimizer
{
    /// <summary>The metadata key under which an optimized model records what was fused (counts per pattern).</summary>
    public const string MetadataKey = "onnxfuse.optimize";

    /// <summary>Every pass, in the order they run.</summary>
    public static IReadOnlyList<Pass> Passes => PassCatalog.All;

    /// <summary>The passes <paramref name="options"/> selects, in running order; unknown names are an error listing the known ones.</summary>
    public static IReadOnlyList<Pass> Select(OptimizerOptions options)
    {
        var known = PassCatalog.All.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = (options.Patterns ?? []).Concat(options.Disabled).Where(n => !known.Contains(n)).Distinct().ToList();
        if (unknown.Count > 0)
            throw new PassSelectionException(
                $"unknown pattern{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(n => $"'{n}'"))}; known: {string.Join(", ", known.Order(StringComparer.Ordinal))}");
        return [.. PassCatalog.All.Where(p =>
            (options.Patterns is { } chosen ? chosen.Contains(p.Name) : p.Level <= options.Level) && !options.Disabled.Contains(p.Name))];
    }

    public static IReadOnlyList<Opportunity> Analyze(Model model, OptimizerOptions? options = null)
    {
        options ??= new OptimizerOptions();
        var passes = Select(options);
        if (options.Opset is not null)
        {
            model = model.Clone();
            RaiseOpset(model, options.Opset);
        }
        return new PassManager(passes, options).Analyze(model);
    }

    /// <summary>An optimized copy of <paramref name="model"/> (which is left unchanged) and the report of what was fused.</summary>
    public static OptimizationResult Optimize(Model model, OptimizerOptions? options = null)
    {
        options ??= new OptimizerOptions();
        var passes = Select(options);
        var optimized = model.Clone();
        RaiseOpset(optimized, options.Opset);
        var report = new PassManager(passes, options).Run(optimized);
        optimized.MetadataProps[MetadataKey] = report.ToSummaryJson();
        return new OptimizationResult(optimized, report);
    }

    /// <summary>Converts <paramref name="model"/> in place to default-domain opset <paramref name="opset"/> (when given and higher).</summary>
    static void RaiseOpset(Model model, long? opset)
    {
        if (opset is not { } target)
            return;
        var current = model.OpsetImports.Default;
        if (target < current)
            throw new PassSelectionException($"opset {target} is below the model's opset {current}: optimize raises a model's opset, never lowers it");
        if (target > OpsetUpgrade.NewestCheckedVersion)
            throw new PassSelectionException(
                $"opset {target} is newer than opset {OpsetUpgrade.NewestCheckedVersion}, the newest whose definition changes OnnxFuse converts");
        OpsetUpgrade.Run(model, target, string.IsNullOrEmpty(model.Graph.Name) ? "model" : model.Graph.Name);
    }
}

/// <summary>An optimized model and the record of its fusions.</summary>
public sealed record OptimizationResult(Model Model, FusionReport Report);
