using System.Globalization;
using System.Text;
using OnnxFuse.Engine;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;

namespace OnnxFuse.Benchmarks;

/// <summary>
/// The <c>conformance [--output FILE]</c> verb: runs every ONNX backend node test (libonnx-testdata's <c>node/</c>, or
/// <c>ONNXFUSE_ONNX_TESTDATA</c>) on the managed engine, one thread, and writes a Markdown report: per operator the
/// tests passed, failed (outputs outside ONNX's tolerances, or a run-time error) and unsupported (the engine refuses
/// to plan the model), the unsupported and failed tests by name, and the coverage of default-domain operators.
/// Comparison uses the node conformance test's tolerances, |Δ| ≤ 1e-5 + 1e-3·|expected|.
/// </summary>
static class ConformanceReport
{
    const double RelativeTolerance = 1e-3;
    const double AbsoluteTolerance = 1e-5;

    enum Outcome
    {
        Passed,
        Failed,
        Unsupported,
    }

    sealed record TestResult(string Name, string Operator, Outcome Outcome, string? Detail, string[] DefaultDomainOps);

    public static int Run(string[] args)
    {
        var root = Path.Combine(Environment.GetEnvironmentVariable("ONNXFUSE_ONNX_TESTDATA") is { Length: > 0 } path
            ? path
            : "/usr/share/libonnx-testdata/data", "node");
        if (!Directory.Exists(root))
        {
            Console.Error.WriteLine($"{root}: ONNX backend node tests not found (install libonnx-testdata or set ONNXFUSE_ONNX_TESTDATA)");
            return 1;
        }
        var results = Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).Select(RunTest).ToList();
        var report = Format(results);
        if (args is ["--output", var output])
        {
            var temporary = output + ".tmp";
            File.WriteAllText(temporary, report);
            File.Move(temporary, output, overwrite: true);
        }
        else
        {
            Console.Write(report);
        }
        return 0;
    }

    static TestResult RunTest(string directory)
    {
        var name = Path.GetFileName(directory);
        Model model;
        try
        {
            model = ModelFile.Load(Path.Combine(directory, "model.onnx"));
        }
        catch (OnnxFuseException e)
        {
            return new TestResult(name, "(model does not load)", Outcome.Unsupported, e.Message, []);
        }
        var nodes = model.Graph.AllNodes().ToList();
        var defaultOps = nodes.Where(n => n.IsDefaultDomain).Select(n => n.OpType).Distinct(StringComparer.Ordinal).ToArray();
        var op = nodes.Count == 1 ? (nodes[0].IsDefaultDomain ? nodes[0].OpType : $"{nodes[0].Domain}.{nodes[0].OpType}") : "(function-expanded, several nodes)";
        InferenceSession session;
        try
        {
            session = InferenceSession.Create(model, new EngineOptions { ThreadCount = 1 });
        }
        catch (OnnxFuseException e)
        {
            return new TestResult(name, op, Outcome.Unsupported, e.Message, defaultOps);
        }
        using (session)
        {
            try
            {
                var failure = Compare(directory, session);
                return new TestResult(name, op, failure is null ? Outcome.Passed : Outcome.Failed, failure, defaultOps);
            }
            catch (OnnxFuseException e)
            {
                return new TestResult(name, op, Outcome.Failed, e.Message, defaultOps);
            }
        }
    }

    /// <summary>Runs every data set; returns null when all outputs match, else what differed first.</summary>
    static string? Compare(string directory, InferenceSession session)
    {
        foreach (var dataSet in Directory.EnumerateDirectories(directory, "test_data_set_*").Order(StringComparer.Ordinal))
        {
            var inputs = new Dictionary<string, TensorData>(StringComparer.Ordinal);
            for (var i = 0; File.Exists(Path.Combine(dataSet, $"input_{i}.pb")); i++)
            {
                var data = TensorFile.Load(Path.Combine(dataSet, $"input_{i}.pb"));
                inputs[string.IsNullOrEmpty(data.Name) ? session.Inputs[i].Name : data.Name] = data;
            }
            var results = session.Run(inputs);
            for (var i = 0; File.Exists(Path.Combine(dataSet, $"output_{i}.pb")); i++)
            {
                var expected = TensorFile.Load(Path.Combine(dataSet, $"output_{i}.pb"));
                if (Mismatch(expected, results[i]) is { } mismatch)
                    return $"{Path.GetFileName(dataSet)} output {i}: {mismatch}";
            }
        }
        return null;
    }

    static string? Mismatch(TensorData expected, TensorData actual)
    {
        if (expected.ElementType != actual.ElementType)
            return $"type {actual.ElementType.DisplayName()}, expected {expected.ElementType.DisplayName()}";
        if (!expected.Dims.SequenceEqual(actual.Dims))
            return $"shape [{string.Join(',', actual.Dims)}], expected [{string.Join(',', expected.Dims)}]";
        if (ToDoubles(expected) is not { } e || ToDoubles(actual) is not { } a)
            return expected.Bytes.Span.SequenceEqual(actual.Bytes.Span) ? null : "contents differ";
        for (var i = 0; i < e.Length; i++)
        {
            if (double.IsNaN(e[i]) && double.IsNaN(a[i]))
                continue;
            if (!(Math.Abs(e[i] - a[i]) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(e[i])) && e[i] != a[i])
                return string.Create(CultureInfo.InvariantCulture, $"element {i} is {a[i]:g6}, expected {e[i]:g6}");
        }
        return null;
    }

    static double[]? ToDoubles(TensorData data) => data.ElementType switch
    {
        ElementType.Float => [.. data.ToArray<float>().Select(v => (double)v)],
        ElementType.Double => data.ToArray<double>(),
        ElementType.Float16 => [.. data.ToArray<Half>().Select(v => (double)v)],
        ElementType.Int64 => [.. data.ToArray<long>().Select(v => (double)v)],
        ElementType.Int32 => [.. data.ToArray<int>().Select(v => (double)v)],
        _ => null,
    };

    static string Format(List<TestResult> results)
    {
        var text = new StringBuilder();
        var passed = results.Count(r => r.Outcome == Outcome.Passed);
        var failed = results.Count(r => r.Outcome == Outcome.Failed);
        var unsupported = results.Count(r => r.Outcome == Outcome.Unsupported);
        var appearing = results.SelectMany(r => r.DefaultDomainOps).ToHashSet(StringComparer.Ordinal);
        var supported = results.Where(r => r.Outcome != Outcome.Unsupported).SelectMany(r => r.DefaultDomainOps).ToHashSet(StringComparer.Ordinal);
        var singleOps = results.Where(r => !r.Operator.StartsWith('(')).Select(r => r.Operator).ToHashSet(StringComparer.Ordinal);
        var singleSupported = results.Where(r => !r.Operator.StartsWith('(') && r.Outcome != Outcome.Unsupported).Select(r => r.Operator).ToHashSet(StringComparer.Ordinal);

        text.AppendLine("# ONNX backend node tests on the managed engine");
        text.AppendLine();
        text.AppendLine("Generated by `dotnet run -c Release --project bench/OnnxFuse.Benchmarks -- conformance --output docs/conformance.md`");
        text.AppendLine("from libonnx-testdata's `node/` folder (one thread; tolerance |Δ| ≤ 1e-5 + 1e-3·|expected|, as in");
        text.AppendLine("`NodeConformanceTests`). *Unsupported* means the engine refuses to plan the model (an operator, attribute or");
        text.AppendLine("type it does not implement); *failed* means it planned but an output differed or the run threw.");
        text.AppendLine();
        text.AppendLine(Invariant($"- Tests: **{results.Count}** — {passed} passed, {failed} failed, {unsupported} unsupported."));
        text.AppendLine(Invariant($"- Default-domain operator coverage: **{supported.Count} of {appearing.Count} ({Percent(supported.Count, appearing.Count)})** operators that appear in the tests (an operator counts as supported when at least one test model containing it plans)."));
        text.AppendLine(Invariant($"- Operators under test in single-node tests: {singleSupported.Count} of {singleOps.Count} ({Percent(singleSupported.Count, singleOps.Count)}) have at least one supported test."));
        text.AppendLine();
        text.AppendLine("## Per operator");
        text.AppendLine();
        text.AppendLine("Single-node tests are listed under their operator; function-expanded tests (several nodes) are one row.");
        text.AppendLine();
        text.AppendLine("| operator | tests | passed | failed | unsupported |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var group in results.GroupBy(r => r.Operator).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine(Invariant($"| {group.Key} | {group.Count()} | {group.Count(r => r.Outcome == Outcome.Passed)} | {group.Count(r => r.Outcome == Outcome.Failed)} | {group.Count(r => r.Outcome == Outcome.Unsupported)} |"));
        }
        text.AppendLine();
        text.AppendLine("## Default-domain operators with no supported test");
        text.AppendLine();
        text.AppendLine(string.Join(", ", appearing.Except(supported).Order(StringComparer.Ordinal)));
        text.AppendLine();
        text.AppendLine("## Failed tests");
        text.AppendLine();
        foreach (var result in results.Where(r => r.Outcome == Outcome.Failed))
            text.AppendLine($"- `{result.Name}`: {Escape(result.Detail)}");
        if (failed == 0)
            text.AppendLine("None.");
        text.AppendLine();
        text.AppendLine("## Unsupported tests");
        text.AppendLine();
        foreach (var result in results.Where(r => r.Outcome == Outcome.Unsupported))
            text.AppendLine($"- `{result.Name}`: {Escape(result.Detail)}");
        return text.ToString();
    }

    static string Percent(int part, int whole) => whole == 0 ? "n/a" : (100.0 * part / whole).ToString("F1", CultureInfo.InvariantCulture) + "%";

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    static string Escape(string? detail) => (detail ?? "").ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
}
