using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Testing;
using Xunit.Abstractions;

namespace OnnxFuse.Onnx.Tests;

public sealed class TensorFileTests(ITestOutputHelper output) : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("onnxfuse-tensorfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> TestDataModels => [.. BackendModels.TestDataModels()];

    /// <summary>
    /// Every input_K.pb / output_K.pb beside the model. Files for sequence, map or optional values hold a
    /// SequenceProto / OptionalProto rather than a TensorProto; the model's K-th input or output type tells which,
    /// and those are skipped (reported in the test output).
    /// </summary>
    [Theory, MemberData(nameof(TestDataModels))]
    public void Backend_test_tensors_survive_serialize_and_parse_unchanged(string relativePath)
    {
        var modelPath = Path.Combine(TestPaths.OnnxTestData, relativePath);
        var graph = ModelFile.Load(modelPath).Graph;
        var inputs = graph.Inputs.Where(v => !v.IsInitializer).ToList();
        foreach (var pb in Directory.EnumerateFiles(Path.GetDirectoryName(modelPath)!, "*.pb", SearchOption.AllDirectories))
        {
            var type = TypeOf(Path.GetFileNameWithoutExtension(pb), inputs, graph.Outputs);
            if (type is not (null or TensorType))
            {
                output.WriteLine($"Skipped {Path.GetRelativePath(TestPaths.OnnxTestData, pb)}: holds a {type}, not a TensorProto.");
                continue;
            }
            var tensor = TensorFile.Load(pb);

            var again = TensorFile.Parse(TensorFile.Serialize(tensor), pb);

            Assert.True(tensor.ContentEquals(again), $"{pb}: {tensor} changed to {again}");
            Assert.Equal(tensor.Name, again.Name);
        }
    }

    [Fact]
    public void Save_then_load_gives_the_same_tensor_and_name()
    {
        var tensor = TensorData.Create<long>([2, 2], [1, -2, 3, long.MaxValue], name: "ids");
        var path = Path.Combine(_folder, "input_0.pb");

        TensorFile.Save(tensor, path);
        var loaded = TensorFile.Load(path);

        Assert.True(tensor.ContentEquals(loaded));
        Assert.Equal("ids", loaded.Name);
        Assert.Single(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void String_tensors_round_trip()
    {
        var tensor = TensorData.FromStrings([3], ["a", "", "ünïcode"], name: "words");

        var again = TensorFile.Parse(TensorFile.Serialize(tensor), "words.pb");

        Assert.True(tensor.ContentEquals(again));
    }

    [Fact]
    public void Loading_an_empty_file_says_it_is_empty()
    {
        var path = Path.Combine(_folder, "empty.pb");
        File.WriteAllBytes(path, []);

        var error = Assert.Throws<ModelLoadException>(() => TensorFile.Load(path));

        Assert.Equal($"{path}: file is empty", error.Message);
    }

    [Fact]
    public void Loading_a_missing_file_says_file_not_found()
    {
        var path = Path.Combine(_folder, "none.pb");

        var error = Assert.Throws<ModelLoadException>(() => TensorFile.Load(path));

        Assert.Equal($"{path}: file not found", error.Message);
    }

    [Fact]
    public void Saving_into_a_missing_folder_fails_and_writes_nothing()
    {
        var path = Path.Combine(_folder, "missing", "t.pb");

        Assert.Throws<ModelSaveException>(() => TensorFile.Save(TensorData.Scalar(1f), path));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    static OnnxType? TypeOf(string fileName, List<Value> inputs, List<Value> outputs)
    {
        var separator = fileName.LastIndexOf('_');
        if (separator < 0 || !int.TryParse(fileName.AsSpan(separator + 1), out var index))
            return null;
        var values = fileName.StartsWith("input", StringComparison.Ordinal) ? inputs : outputs;
        return index < values.Count ? values[index].Type : null;
    }
}
