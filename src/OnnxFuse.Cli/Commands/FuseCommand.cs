using System.CommandLine;
using OnnxFuse.Compose;
using OnnxFuse.Onnx;

namespace OnnxFuse.Cli.Commands;

/// <summary>
/// <c>onnxfuse fuse MODEL MODEL... -o OUT [--mode parallel|switched] [--share-input] [--index-name NAME] [--budget SIZE]</c>:
/// fuses the models with <see cref="ModelFusion"/> and saves the result atomically (a failure leaves no file).
/// Each model is named after its file (without extension), or after its folder when several files share a name.
/// </summary>
static class FuseCommand
{
    public static Command Create()
    {
        var models = new Argument<FileInfo[]>("models") { Description = "Models to fuse, in order (at least two)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Path of the fused model", Required = true };
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
        };
        command.SetAction(parse => CliRunner.Run(parse, console =>
        {
            long? budgetBytes = null;
            if (parse.GetValue(budget) is { } text)
                budgetBytes = ByteSize.TryParse(text, out var bytes)
                    ? bytes
                    : throw new FusionException($"--budget '{text}' is not a size (examples: 512, 64MB, 1.5GiB)");
            var files = parse.GetRequiredValue(models);
            var names = ModelNames(files);
            var inputs = files.Select((file, i) => new FusionInput(ModelFile.Load(file.FullName), names[i])
            {
                SourcePath = file.FullName,
                Sha256 = FusionInput.HashFile(file.FullName),
            }).ToList();
            var options = new FusionOptions
            {
                Mode = parse.GetValue(mode),
                ShareInput = parse.GetValue(shareInput),
                IndexName = parse.GetValue(indexName) ?? "index",
                MemoryBudgetBytes = budgetBytes,
            };
            var fused = ModelFusion.Fuse(inputs, options);
            var target = parse.GetRequiredValue(output);
            ModelFile.Save(fused, target.FullName);
            var metadata = FusionMetadata.Read(fused)!;
            console.Success($"Fused {inputs.Count} models ({metadata.Mode}) → {target.Name}: "
                + $"{fused.Graph.Inputs.Count(i => !i.IsInitializer)} inputs, {fused.Graph.Outputs.Count} outputs, "
                + $"estimated need {ByteSize.Format(metadata.EstimatedBytes)}");
        }));
        return command;
    }

    /// <summary>File stems; folder names where stems repeat (shared/models/*/model.onnx); a position suffix if still repeated.</summary>
    static string[] ModelNames(FileInfo[] files)
    {
        var stems = files.Select(f => Path.GetFileNameWithoutExtension(f.Name)).ToArray();
        var names = stems.Select((stem, i) => stems.Count(s => s == stem) > 1 ? files[i].Directory?.Name ?? stem : stem).ToArray();
        return [.. names.Select((name, i) => names.Count(n => n == name) > 1 ? $"{name}#{i}" : name)];
    }
}
