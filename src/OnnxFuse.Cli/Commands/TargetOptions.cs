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

    /// <summary>ONNX Runtime's graph optimization levels: disabled, basic, extended, all.</summary>
    public static IReadOnlyList<GraphOptimizationLevel> ParseOrtLevels(string text) =>
        ParseLevels(text, "--ort-optimization", (string part, out GraphOptimizationLevel level) => TryReadEnum(part, out level));

    public static Option<string> ManagedOptimization(string description) => new("--managed-optimization")
    {
        Description = description,
        DefaultValueFactory = _ => "all",
    };

    /// <summary>
    /// The layer-fusion levels the managed engine applies when it loads a model (<see cref="RunnerOptions.ManagedOptimization"/>),
    /// named like ONNX Runtime's: <c>disabled</c> (null: the graph as written), <c>basic</c>, <c>extended</c>, <c>all</c>.
    /// </summary>
    public static IReadOnlyList<OptimizationLevel?> ParseManagedLevels(string text) =>
        ParseLevels(text, "--managed-optimization", (string part, out OptimizationLevel? level) =>
        {
            level = null;
            if (part.Equals("disabled", StringComparison.OrdinalIgnoreCase))
                return true;
            if (!TryReadEnum<OptimizationLevel>(part, out var fused))
                return false;
            level = fused;
            return true;
        });

    /// <summary>The one managed fusion level a command that runs a model once takes.</summary>
    public static OptimizationLevel? ParseManagedLevel(string text, string verb) =>
        ParseManagedLevels(text) is [var level] ? level : throw new OnnxFuseException($"{verb} takes one --managed-optimization level (use bench to compare levels)");

    delegate bool LevelReader<T>(string part, out T level);

    /// <summary>A comma list of level names, each read by <paramref name="read"/>, without repeats; an unknown name is an error naming it.</summary>
    static IReadOnlyList<T> ParseLevels<T>(string text, string option, LevelReader<T> read)
    {
        var levels = new List<T>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!read(part, out var level))
                throw new OnnxFuseException($"{option}: '{part}' is not one of disabled, basic, extended, all");
            levels.Add(level);
        }
        return levels.Count > 0 ? [.. levels.Distinct()] : throw new OnnxFuseException($"{option}: give at least one level");
    }

    /// <summary>A member of <typeparamref name="TEnum"/> by name, ignoring case; numbers are not names.</summary>
    static bool TryReadEnum<TEnum>(string part, out TEnum value) where TEnum : struct, Enum =>
        Enum.TryParse(part, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(part, out _);

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
