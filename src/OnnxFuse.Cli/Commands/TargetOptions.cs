using System.CommandLine;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ort;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime;

namespace OnnxFuse.Cli.Commands;

/// <summary>Option parsing shared by the commands that run models: comma lists of targets and thread counts.</summary>
static class TargetOptions
{
    public static Option<string> Targets(string defaultValue) => new("--target")
    {
        Description = "Execution target(s), comma-separated: managed (embedded default) or onnxruntime",
        DefaultValueFactory = _ => defaultValue,
    };

    public static IReadOnlyList<ExecutionTarget> ParseTargets(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ExecutionTargets.Parse).Distinct()];

    public static IReadOnlyList<GraphOptimizationLevel> ParseOrtLevels(string text)
    {
        var levels = new List<GraphOptimizationLevel>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<GraphOptimizationLevel>(part, ignoreCase: true, out var level) || !Enum.IsDefined(level) || int.TryParse(part, out _))
                throw new OnnxFuseException($"--ort-optimization: '{part}' is not one of disabled, basic, extended, all");
            levels.Add(level);
        }
        return levels.Count > 0 ? [.. levels.Distinct()] : throw new OnnxFuseException("--ort-optimization: give at least one level");
    }

    public static Option<string> ManagedOptimization(string description) => new("--managed-optimization")
    {
        Description = description,
        DefaultValueFactory = _ => "all",
    };

    /// <summary>
    /// The layer-fusion levels the managed engine applies when it loads a model (<see cref="RunnerOptions.ManagedOptimization"/>),
    /// named like ONNX Runtime's: <c>disabled</c> (null: the graph as written), <c>basic</c>, <c>extended</c>, <c>all</c>.
    /// </summary>
    public static IReadOnlyList<OptimizationLevel?> ParseManagedLevels(string text)
    {
        var levels = new List<OptimizationLevel?>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Equals("disabled", StringComparison.OrdinalIgnoreCase))
                levels.Add(null);
            else if (Enum.TryParse<OptimizationLevel>(part, ignoreCase: true, out var level) && Enum.IsDefined(level) && !int.TryParse(part, out _))
                levels.Add(level);
            else
                throw new OnnxFuseException($"--managed-optimization: '{part}' is not one of disabled, basic, extended, all");
        }
        return levels.Count > 0 ? [.. levels.Distinct()] : throw new OnnxFuseException("--managed-optimization: give at least one level");
    }

    public static IReadOnlyList<int> ParseThreads(string text)
    {
        var counts = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var count) || count < 1)
                throw new OnnxFuseException($"--threads: '{part}' is not a positive thread count");
            counts.Add(count);
        }
        return counts.Count > 0 ? counts : throw new OnnxFuseException("--threads: give at least one thread count");
    }
}
