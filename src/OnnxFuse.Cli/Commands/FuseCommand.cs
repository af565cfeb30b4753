using System.CommandLine;
using OnnxFuse.Compose;
using OnnxFuse.Compose.Config;
using OnnxFuse.Onnx;

namespace OnnxFuse.Cli.Commands;

/// <summary>
/// <c>onnxfuse fuse MODEL MODEL... -o OUT [--mode parallel|switched] [--share-input] [--index-name NAME] [--budget SIZE]</c>
/// or <c>onnxfuse fuse --config fusion.yaml [-o OUT]</c> (see <see cref="FusionConfig"/>): fuses the models with
/// <see cref="ModelFusion"/> and saves the result atomically (a failure leaves no file).
/// Each model is named after its file (without extension), or after its folder when several files share a name.
/// </summary>
static class FuseCommand
{
    public static Command Create()
    {
        var models = new Argument<FileInfo[]>("models") { Description = "Models to fuse, in order (at least two)", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Path of the fused model (required unless the config names one)" };
        var config = new Option<FileInfo>("--config") { Description = "A YAML fusion config: global options and a models list (paths relative to it)" };
        var mode = new Option<FusionMode>("--mode")
        {
            Description = "parallel: all models run; switched: an index input picks one",
            DefaultValueFactory = _ => FusionMode.Parallel,
        };
        var shareInput = new Option<bool>("--share-input") { Description = "Feed one input to every model (each must have exactly one)" };
        var indexName = new Option<string>("--index-name") { Description = "Name of the model-index input (switched)", DefaultValueFactory = _ => "index" };
        var budget = new Option<string?>("--budget") { Description = "Memory budget for weights + activations, e.g. 64MB or 1.5GiB" };

        var command = new Command("fuse", "Fuse several ONNX models into one graph, side by side or switched by an index input")
        {
            models,
            output,
            mode,
            shareInput,
            indexName,
            budget,
            config,
        };
        command.SetAction(parse => CliRunner.Run(parse, console =>
        {
            var (inputs, options, configOutput) = parse.GetValue(config) is { } configFile
                ? FromConfig(configFile, parse.GetValue(models) ?? [])
                : FromArguments(parse, models, mode, shareInput, indexName, budget);
            var target = parse.GetValue(output)?.FullName ?? configOutput
                ?? throw new FusionException("give the fused model's path with -o/--output (or 'output' in the config)");
            var fused = ModelFusion.Fuse(inputs, options);
            ModelFile.Save(fused, target);
            var metadata = FusionMetadata.Read(fused)!;
            console.Success($"Fused {inputs.Count} models ({metadata.Mode}) → {Path.GetFileName(target)}: "
                + $"{fused.Graph.Inputs.Count(i => !i.IsInitializer)} inputs, {fused.Graph.Outputs.Count} outputs, "
                + $"estimated need {ByteSize.Format(metadata.EstimatedBytes)}");
        }));
        return command;
    }

    static (List<FusionInput>, FusionOptions, string?) FromArguments(ParseResult parse, Argument<FileInfo[]> models, Option<FusionMode> mode,
        Option<bool> shareInput, Option<string> indexName, Option<string?> budget)
    {
        long? budgetBytes = null;
        if (parse.GetValue(budget) is { } text)
            budgetBytes = ByteSize.TryParse(text, out var bytes)
                ? bytes
                : throw new FusionException($"--budget '{text}' is not a size (examples: 512, 64MB, 1.5GiB)");
        var files = parse.GetValue(models) ?? [];
        var names = ModelNames(files);
        var inputs = files.Select((file, i) => Load(file.FullName, names[i])).ToList();
        var options = new FusionOptions
        {
            Mode = parse.GetValue(mode),
            ShareInput = parse.GetValue(shareInput),
            IndexName = parse.GetValue(indexName) ?? "index",
            MemoryBudgetBytes = budgetBytes,
        };
        return (inputs, options, null);
    }

    /// <summary>Models and options from a YAML config; model paths on the command line as well are refused as ambiguous.</summary>
    static (List<FusionInput>, FusionOptions, string?) FromConfig(FileInfo file, FileInfo[] models)
    {
        if (models.Length > 0)
            throw new FusionException("give the models either on the command line or in --config, not both");
        var config = FusionConfigReader.Load(file.FullName);
        var names = ModelNames([.. config.Models.Select(m => new FileInfo(m.Path))]);
        var inputs = config.Models.Select((entry, i) =>
        {
            var input = Load(entry.Path, entry.Name ?? names[i]);
            InputShapes.Fix(input.Model, input.Name, entry.InputShapes);
            return input;
        }).ToList();
        return (inputs, config.Options, config.OutputPath);
    }

    static FusionInput Load(string path, string name) =>
        new(ModelFile.Load(path), name) { SourcePath = path, Sha256 = FusionInput.HashFile(path) };

    /// <summary>File stems; folder names where stems repeat (shared/models/*/model.onnx); a position suffix if still repeated.</summary>
    static string[] ModelNames(FileInfo[] files)
    {
        var stems = files.Select(f => Path.GetFileNameWithoutExtension(f.Name)).ToArray();
        var names = stems.Select((stem, i) => stems.Count(s => s == stem) > 1 ? files[i].Directory?.Name ?? stem : stem).ToArray();
        return [.. names.Select((name, i) => names.Count(n => n == name) > 1 ? $"{name}#{i}" : name)];
    }
}
