using System.CommandLine;
using System.Globalization;
using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Passes.Quantization;
using OnnxFuse.Passes.Quantization.Lowering;
using OnnxFuse.Runtime;
using OnnxFuse.Runtime.Optimization;
using Spectre.Console;

namespace OnnxFuse.Cli.Commands;

/// <summary>
/// <c>onnxfuse quantize MODEL -o OUT --config quant.yaml [--calibration DIR | --samples N] [--method minmax|percentile]
/// [--percentile P] [--held-out N] [--report] [--format qdq|qoperator]</c>: static int8 quantization to QDQ form (ONNX Runtime's format) with
/// the config's module fusions, calibrated on a folder of inputs or on N seeded random samples; saves the model and
/// prints each output's error against float32 on held-out inputs (other seeds). <c>--report</c> also quantizes
/// without the fusions and prints both, with the deployment gap: our engine against ONNX Runtime on the same model.
/// <c>--format qoperator</c> saves the model with its QDQ groups lowered to QLinearConv/QLinearMatMul (what the managed engine
/// runs); the errors are measured on the QDQ model either way.
/// </summary>
static class QuantizeCommand
{
    const int HeldOutSeed = 1000;

    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The float32 .onnx file to quantize" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Path of the quantized (QDQ) model", Required = true };
        var config = new Option<FileInfo>("--config") { Description = "Quantization config (YAML list of entries with op_names/op_types, target_names, fuse_names…)", Required = true };
        var calibration = new Option<DirectoryInfo?>("--calibration") { Description = "Folder of calibration inputs (.npy/.pb files, or one subfolder of input_N.pb per sample)" };
        var samples = new Option<int>("--samples") { Description = "Number of seeded random calibration samples when no folder is given", DefaultValueFactory = _ => 8 };
        var method = new Option<string>("--method") { Description = "Calibration: minmax or percentile", DefaultValueFactory = _ => "minmax" };
        var percentile = new Option<double>("--percentile") { Description = "Upper percentile for --method percentile", DefaultValueFactory = _ => 99.99 };
        var heldOut = new Option<int>("--held-out") { Description = "Number of held-out random inputs the error is measured on", DefaultValueFactory = _ => 8 };
        var report = new Option<bool>("--report") { Description = "Also quantize without fuse_names and print both, with the gap to ONNX Runtime" };
        var format = new Option<string>("--format") { Description = "qdq (Q/DQ pairs, ONNX Runtime's format) or qoperator (QLinearConv/QLinearMatMul)", DefaultValueFactory = _ => "qdq" };

        var command = new Command("quantize", "Quantize a model to int8 (QDQ) with module fusion, calibrated on data, and print the error against float32")
        {
            model, output, config, calibration, samples, method, percentile, heldOut, report, format,
        };
        command.SetAction(parse => CliRunner.Run(parse, console =>
        {
            var original = ModelFile.Load(parse.GetRequiredValue(model).FullName);
            var quantization = QuantizationConfigReader.Load(parse.GetRequiredValue(config).FullName);
            var calibrationSamples = parse.GetValue(calibration) is { } folder
                ? QuantizationError.FolderSamples(original, folder.FullName)
                : QuantizationError.RandomSamples(original, Math.Max(1, parse.GetValue(samples)), firstSeed: 1);
            if (calibrationSamples.Count == 0)
                throw new QuantizationConfigException($"{parse.GetValue(calibration)!.FullName}: no calibration inputs (.npy/.pb files, input_N.pb, or subfolders of them)");
            var options = new QuantizationOptions(EngineActivationObserver.Instance, calibrationSamples)
            {
                Method = parse.GetValue(method) switch
                {
                    "minmax" => CalibrationMethod.MinMax,
                    "percentile" => CalibrationMethod.Percentile,
                    var other => throw new QuantizationConfigException($"--method must be minmax or percentile, not '{other}'"),
                },
                Percentile = parse.GetValue(percentile),
            };
            var lower = parse.GetValue(format) switch
            {
                "qdq" => false,
                "qoperator" => true,
                var other => throw new QuantizationConfigException($"--format must be qdq or qoperator, not '{other}'"),
            };
            var testInputs = QuantizationError.RandomSamples(original, Math.Max(1, parse.GetValue(heldOut)), HeldOutSeed);
            var fused = Quantizer.Quantize(original, quantization, options);
            var target = parse.GetRequiredValue(output).FullName;
            var saved = fused.Model;
            if (lower)
            {
                saved = saved.Clone();
                QdqLowering.Lower(saved);
            }
            ModelFile.Save(saved, target);

            var table = new Table().Title($"Error against float32 on {testInputs.Count} held-out inputs").AddColumn("model").AddColumn("output")
                .AddColumn(new TableColumn("max |Δ|").RightAligned()).AddColumn(new TableColumn("mean |Δ|").RightAligned())
                .AddColumn(new TableColumn("cosine").RightAligned()).AddColumn(new TableColumn("top-1").RightAligned());
            var withReport = parse.GetValue(report);
            if (withReport)
                table.AddColumn(new TableColumn("gap to ORT max").RightAligned()).AddColumn(new TableColumn("gap mean").RightAligned());
            AddRows(table, "with fusion", original, fused.Model, testInputs, withReport);
            if (withReport)
                AddRows(table, "without fusion", original, Quantizer.Quantize(original, quantization, options with { ApplyFusion = false }).Model, testInputs, withReport);
            console.Out.Write(table);
            console.Success($"{fused.QuantizedOps} ops quantized ({fused.Fused.Count} fused modules, {fused.ActivationPairs} activation Q/DQ pairs, "
                + $"{fused.QuantizedWeights} int8 weights), calibrated on {calibrationSamples.Count} samples → {Path.GetFileName(target)}");
        }));
        return command;
    }

    static void AddRows(Table table, string variant, Model original, Model quantized, IReadOnlyList<IReadOnlyDictionary<string, TensorData>> inputs, bool withGap)
    {
        var simulated = QuantizationError.Measure(original, ExecutionTarget.Managed, quantized, ExecutionTarget.Managed, inputs);
        var gaps = withGap ? QuantizationError.Measure(quantized, ExecutionTarget.Managed, quantized, ExecutionTarget.OnnxRuntime, inputs) : null;
        for (var i = 0; i < simulated.Count; i++)
        {
            var e = simulated[i];
            List<string> cells = [variant, Markup.Escape(e.Output), Number(e.MaxAbs), Number(e.MeanAbs), e.Cosine.ToString("F6", CultureInfo.InvariantCulture),
                e.Top1Agreement is { } top1 ? top1.ToString("P0", CultureInfo.InvariantCulture) : "-"];
            if (gaps is not null)
                cells.AddRange([Number(gaps[i].MaxAbs), Number(gaps[i].MeanAbs)]);
            table.AddRow([.. cells]);
        }
    }

    static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
