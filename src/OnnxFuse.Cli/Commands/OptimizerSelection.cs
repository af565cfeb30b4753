using System.CommandLine;
using System.Globalization;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Cli.Commands;

/// <summary>The options shared by <c>analyze</c> and <c>optimize</c> that choose passes: level, patterns, disabled ones, standard-only, opset.</summary>
sealed class OptimizerSelection
{
    public Option<OptimizationLevel> Level { get; } = new("--level")
    {
        Description = "basic (standard-op folding and cleanup), extended (op fusions), all (also attention, QKV)",
        DefaultValueFactory = _ => OptimizationLevel.All,
    };

    public Option<string?> Patterns { get; } = new("--patterns") { Description = "Run only these passes, comma-separated (any level)" };

    public Option<string?> Disable { get; } = new("--disable") { Description = "Passes never to run, comma-separated" };

    public Option<bool> StandardOnly { get; } = new("--standard-only") { Description = "Emit standard ONNX ops only (no com.microsoft ops)" };

    public Option<long?> Opset { get; } = new("--opset")
    {
        Description = "Raise the model's opset to this version first, so newer standard ops can be emitted (17: LayerNormalization)",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
                return version;
            result.AddError($"--opset takes an opset version such as 17, not '{text}'");
            return null;
        },
    };

    public IEnumerable<Option> All => [Level, Patterns, Disable, StandardOnly, Opset];

    public OptimizerOptions Read(ParseResult parse, IConstantEvaluator? evaluator) => new()
    {
        Level = parse.GetValue(Level),
        Patterns = parse.GetValue(Patterns) is { } patterns ? Names(patterns) : null,
        Disabled = parse.GetValue(Disable) is { } disabled ? Names(disabled) : [],
        StandardOnly = parse.GetValue(StandardOnly),
        Opset = parse.GetValue(Opset),
        ConstantEvaluator = evaluator,
    };

    static string[] Names(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
