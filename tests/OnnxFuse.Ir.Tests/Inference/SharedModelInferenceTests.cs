using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Inference;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Onnx;
using OnnxFuse.Testing;
using Xunit.Abstractions;

namespace OnnxFuse.Ir.Tests.Inference;

/// <summary>
/// Inference on the team's real models: with every intermediate type erased, it must recover a static type for
/// every value, and the outputs (and any value_info) the exporter declared. Oracle: the types in the file.
/// </summary>
public sealed class SharedModelInferenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Models => [.. TestPaths.SharedModelNames];

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_value_gets_a_static_type_matching_the_declared_ones(string name)
    {
        var model = ModelFile.Load(TestPaths.SharedModel(name));
        var declared = EraseIntermediateTypes(model);

        var report = ShapeInference.Run(model);

        output.WriteLine($"{name}: {report}; {string.Join(", ", report.ByOpType.Select(p => $"{p.Key} {p.Value.NodeCount}"))}");

        Assert.Empty(report.Conflicts);
        Assert.Empty(report.Unresolved);
        foreach (var graph in model.Graph.SelfAndDescendants())
        {
            foreach (var value in graph.DeclaredValues)
            {
                Assert.True(value.Type is TensorType { ElementType: not ElementType.Undefined, Shape.IsStatic: true },
                    $"{name}: value '{value.Name}' has type {value.Type?.ToString() ?? "none"}");
            }
        }
        foreach (var (value, type) in declared)
            Assert.True(Equals(type, value.Type), $"{name}: '{value.Name}' is declared {type} but inferred {value.Type}");
        Assert.NotEmpty(declared);
    }

    /// <summary>Clears the types of node outputs, returning what the file declared for them.</summary>
    static List<(Value Value, OnnxType Type)> EraseIntermediateTypes(Model model)
    {
        var declared = new List<(Value, OnnxType)>();
        foreach (var node in model.Graph.AllNodes())
        {
            foreach (var output in node.Outputs)
            {
                if (output?.Type is { } type)
                    declared.Add((output, type));
                output?.Type = null;
            }
        }
        return declared;
    }
}
