using System.Diagnostics;
using OnnxFuse.Onnx;

namespace OnnxFuse.Benchmarks;

/// <summary>
/// File I/O figures for one model (default: the largest shared model, bert_mini_op13): raw read, load and save
/// times (medians), load ÷ raw-read ratio, and managed bytes allocated during one load ÷ file size. Allocation is
/// measured with <see cref="GC.GetTotalAllocatedBytes(bool)"/> (precise), an upper bound on the load's peak managed
/// memory, since nothing allocated can be live at once more than once.
/// </summary>
static class IoBenchmark
{
    const int Repeats = 7;

    public static int Run(string[] args)
    {
        var path = args.Length > 0 ? args[0] : DefaultModel();
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"{path}: file not found");
            return 1;
        }
        var fileBytes = new FileInfo(path).Length;
        var output = Path.Combine(Path.GetTempPath(), $"onnxfuse-io-{Environment.ProcessId}.onnx");

        var read = Median(() => File.ReadAllBytes(path));
        var load = Median(() => ModelFile.Load(path));
        var model = ModelFile.Load(path);
        var save = Median(() => ModelFile.Save(model, output));
        File.Delete(output);

        var allocated = AllocatedDuring(() => ModelFile.Load(path));

        Console.WriteLine(FormattableString.Invariant($"model        {path} ({fileBytes / 1e6:F1} MB)"));
        Console.WriteLine(FormattableString.Invariant($"raw read     {read:F1} ms (File.ReadAllBytes, median of {Repeats})"));
        Console.WriteLine(FormattableString.Invariant($"load         {load:F1} ms (ModelFile.Load, median of {Repeats})"));
        Console.WriteLine(FormattableString.Invariant($"save         {save:F1} ms (ModelFile.Save, atomic, fsync, median of {Repeats})"));
        Console.WriteLine(FormattableString.Invariant($"load/read    {load / read:F2}x (goal <= 3)"));
        Console.WriteLine(FormattableString.Invariant(
            $"alloc/file   {(double)allocated / fileBytes:F2}x ({allocated / 1e6:F1} MB allocated during one load, precise; upper bound on peak; goal <= 1.5)"));
        return 0;
    }

    static string DefaultModel()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OnnxFuse.slnx")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "models", "bert_mini_op13", "model.onnx"));
        }
        return "model.onnx";
    }

    static double Median(Action action)
    {
        action();
        var times = new double[Repeats];
        for (var i = 0; i < Repeats; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[Repeats / 2];
    }

    static long AllocatedDuring(Action action)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        action();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }
}
