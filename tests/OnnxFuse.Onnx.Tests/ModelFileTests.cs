using Google.Protobuf;
using OnnxFuse.Ir.Comparison;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Onnx.Protos;
using OnnxFuse.Testing;
using Xunit.Abstractions;

namespace OnnxFuse.Onnx.Tests;

public sealed class ModelFileTests(ITestOutputHelper output) : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("onnxfuse-modelfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> SharedModels => [.. TestPaths.SharedModelNames];

    public static TheoryData<string> TestDataModels => [.. BackendModels.TestDataModels()];

    [Theory, MemberData(nameof(SharedModels))]
    public void Shared_model_survives_serialize_and_parse_unchanged(string name) =>
        AssertRoundTrip(TestPaths.SharedModel(name));

    [Theory, MemberData(nameof(TestDataModels))]
    public void Backend_test_model_survives_serialize_and_parse_unchanged(string relativePath) =>
        AssertRoundTrip(Path.Combine(TestPaths.OnnxTestData, relativePath));

    [Fact]
    public void Save_then_load_gives_the_same_model_and_leaves_no_temporary_file()
    {
        var model = ModelFile.Load(TestPaths.SharedModel("vollo_mlp"));
        var path = Path.Combine(_folder, "copy.onnx");

        ModelFile.Save(model, path);

        Assert.Null(ModelDiff.FirstDifference(model, ModelFile.Load(path)));
        Assert.Equal(["copy.onnx"], Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Saving_with_external_data_puts_large_weights_in_an_aligned_data_file()
    {
        var model = WeightsModel(seed: 3, elementCounts: [16, 20_000, 50_000]);
        var path = Path.Combine(_folder, "ext.onnx");

        ModelFile.Save(model, path, new ModelSaveOptions { ExternalData = ExternalDataPolicy.Always });

        var dataPath = Path.Combine(_folder, "ext.onnx.data");
        Assert.True(File.Exists(dataPath));
        Assert.True(new FileInfo(path).Length < 2_000, $"model file is {new FileInfo(path).Length} bytes");
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var external = proto.Graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External).ToList();
        Assert.Equal(["w1", "w2"], external.Select(t => t.Name));
        foreach (var tensor in external)
        {
            var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value);
            Assert.Equal("ext.onnx.data", entries["location"]);
            var offset = long.Parse(entries["offset"], System.Globalization.CultureInfo.InvariantCulture);
            var length = long.Parse(entries["length"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(0, offset % 4096);
            Assert.True(offset + length <= new FileInfo(dataPath).Length);
        }
        Assert.Null(ModelDiff.FirstDifference(model, ModelFile.Load(path)));
    }

    [Fact]
    public void Saving_inline_over_a_model_with_external_data_reads_the_weights_first()
    {
        var model = WeightsModel(seed: 4, elementCounts: [30_000]);
        var path = Path.Combine(_folder, "m.onnx");
        ModelFile.Save(model, path, new ModelSaveOptions { ExternalData = ExternalDataPolicy.Always, ExternalDataFileName = "weights.bin" });

        var loaded = ModelFile.Load(path);
        ModelFile.Save(loaded, path, new ModelSaveOptions { ExternalData = ExternalDataPolicy.Never });
        File.Delete(Path.Combine(_folder, "weights.bin"));

        Assert.Null(ModelDiff.FirstDifference(model, ModelFile.Load(path)));
    }

    [Fact, Trait("Category", "Large")]
    public void Model_over_two_gibibytes_is_saved_with_external_data_automatically()
    {
        var free = new DriveInfo(_folder).AvailableFreeSpace;
        if (free < 6L << 30)
        {
            output.WriteLine($"Skipped: needs 6 GiB of free disk under {_folder}, found {free >> 20} MiB.");
            return;
        }
        // Eight initializers share one 272 MiB buffer, so 2.125 GiB of weights cost 272 MiB of memory to build.
        const int ChunkBytes = 272 << 20;
        var shared = new byte[ChunkBytes];
        shared[0] = 7;
        shared[^1] = 9;
        var graph = new Graph("large");
        for (var i = 0; i < 8; i++)
            graph.AddInitializer($"w{i}", TensorData.FromBytes(ElementType.Float, [ChunkBytes / 4], shared));
        var sum = graph.AddNode("Sum", graph.Initializers, ["total"], name: "sum");
        graph.Outputs.Add(sum.Output(0));
        var model = new Model(graph);
        model.OpsetImports[""] = 13;
        var path = Path.Combine(_folder, "large.onnx");

        ModelFile.Save(model, path);
        shared = null;

        Assert.Throws<ModelSaveException>(() => ModelFile.Serialize(model));
        Assert.True(new FileInfo(path).Length < 10_000);
        Assert.True(new FileInfo(path + ".data").Length >= 8L * ChunkBytes);
        var loaded = ModelFile.Load(path);
        Assert.Equal(8, loaded.Graph.Initializers.Count);
        foreach (var weight in loaded.Graph.Initializers)
        {
            var bytes = weight.Initializer!.Bytes.Span;
            Assert.Equal(ChunkBytes, bytes.Length);
            Assert.Equal(7, bytes[0]);
            Assert.Equal(0, bytes[ChunkBytes / 2]);
            Assert.Equal(9, bytes[^1]);
        }
    }

    [Fact]
    public void Loading_an_empty_file_says_it_is_empty()
    {
        var path = Write("empty.onnx", []);

        AssertLoadFails(path, "file is empty");
    }

    [Fact]
    public void Loading_random_bytes_says_it_is_not_an_onnx_model()
    {
        var bytes = new byte[4096];
        new Random(11).NextBytes(bytes);
        var path = Write("random.onnx", bytes);

        AssertLoadFails(path, "not an ONNX model");
    }

    [Fact]
    public void Loading_a_truncated_model_says_the_message_is_truncated()
    {
        var bytes = File.ReadAllBytes(TestPaths.SharedModel("vollo_mlp"));
        var path = Write("half.onnx", bytes[..(bytes.Length / 2)]);

        AssertLoadFails(path, "not an ONNX model (protobuf parse failed: truncated message)");
    }

    [Fact]
    public void Loading_a_node_that_reads_an_undefined_value_names_node_and_value()
    {
        var proto = TinyModel();
        proto.Graph.Node[0].Input[0] = "x9";
        var path = Write("dangling.onnx", proto.ToByteArray());

        AssertLoadFails(path, "node 'relu1' (Relu) reads 'x9' which no node, input or initializer defines");
    }

    [Fact]
    public void Loading_an_unknown_element_type_names_the_initializer_and_the_type()
    {
        var proto = TinyModel();
        proto.Graph.Initializer.Add(new TensorProto { Name = "odd", DataType = 99, Dims = { 1 }, RawData = ByteString.CopyFrom(1, 2, 3, 4) });
        var path = Write("odd.onnx", proto.ToByteArray());

        AssertLoadFails(path, "initializer 'odd' has unknown element type 99");
    }

    [Fact]
    public void Loading_raw_data_of_the_wrong_size_gives_both_sizes()
    {
        var proto = TinyModel();
        proto.Graph.Initializer.Add(new TensorProto { Name = "short", DataType = 1, Dims = { 2 }, RawData = ByteString.CopyFrom(1, 2, 3, 4) });
        var path = Write("short.onnx", proto.ToByteArray());

        AssertLoadFails(path, "initializer 'short' (float32[2]) has 4 bytes of raw_data, expected 8");
    }

    [Fact]
    public void Loading_with_a_missing_external_data_file_names_tensor_and_file()
    {
        var path = Path.Combine(_folder, "m.onnx");
        ModelFile.Save(WeightsModel(seed: 5, elementCounts: [5_000]), path, new ModelSaveOptions { ExternalData = ExternalDataPolicy.Always });
        File.Delete(path + ".data");

        AssertLoadFails(path, "tensor 'w0' keeps its data in", "m.onnx.data", "does not exist");
    }

    [Fact]
    public void Loading_external_data_outside_the_model_folder_is_refused()
    {
        var proto = TinyModel();
        proto.Graph.Initializer.Add(ExternalTensor("escape", "../secret.bin"));
        var path = Write("escape.onnx", proto.ToByteArray());

        AssertLoadFails(path, "tensor 'escape' names external data '../secret.bin' outside the model's folder");
    }

    [Fact]
    public void Loading_external_data_by_absolute_path_is_refused()
    {
        var proto = TinyModel();
        proto.Graph.Initializer.Add(ExternalTensor("abs", "/etc/hostname"));
        var path = Write("abs.onnx", proto.ToByteArray());

        AssertLoadFails(path, "absolute path '/etc/hostname'");
    }

    [Fact]
    public void Loading_a_missing_file_says_file_not_found()
    {
        AssertLoadFails(Path.Combine(_folder, "nowhere.onnx"), "file not found");
    }

    [Fact]
    public void Loading_a_folder_says_it_is_not_a_file()
    {
        AssertLoadFails(_folder, "is a folder, not a file");
    }

    [Fact]
    public void Saving_into_a_missing_folder_fails_and_writes_nothing()
    {
        var path = Path.Combine(_folder, "missing", "m.onnx");

        var error = Assert.Throws<ModelSaveException>(() => ModelFile.Save(WeightsModel(seed: 1, elementCounts: [4]), path));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void Saving_a_model_that_cannot_be_exported_leaves_no_file_and_no_temporary_file()
    {
        var model = WeightsModel(seed: 2, elementCounts: [10_000]);
        model.OpaqueTrainingInfo.Add(new byte[] { 0xFF, 0xFF, 0xFF });
        var path = Path.Combine(_folder, "broken.onnx");

        Assert.Throws<ModelSaveException>(() => ModelFile.Save(model, path, new ModelSaveOptions { ExternalData = ExternalDataPolicy.Always }));
        Assert.Throws<ModelSaveException>(() => ModelFile.Serialize(model));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void A_failed_save_keeps_the_previous_file_intact()
    {
        var path = Path.Combine(_folder, "keep.onnx");
        var good = WeightsModel(seed: 6, elementCounts: [8]);
        ModelFile.Save(good, path);
        var broken = WeightsModel(seed: 7, elementCounts: [8]);
        broken.OpaqueTrainingInfo.Add(new byte[] { 0xFF });

        Assert.Throws<ModelSaveException>(() => ModelFile.Save(broken, path));

        Assert.Null(ModelDiff.FirstDifference(good, ModelFile.Load(path)));
        Assert.Single(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void Subgraphs_capture_values_that_later_nodes_define()
    {
        // The If comes first in the file; its branch reads 'late', which the following node produces.
        var proto = TinyModel();
        var branch = new GraphProto { Name = "then", Node = { new NodeProto { Name = "inner", OpType = "Identity", Input = { "late" }, Output = { "inner_y" } } } };
        branch.Output.Add(new ValueInfoProto { Name = "inner_y" });
        proto.Graph.Input.Add(new ValueInfoProto { Name = "cond", Type = TensorTypeProto(ElementType.Bool) });
        proto.Graph.Node.Insert(0, new NodeProto
        {
            Name = "if1",
            OpType = "If",
            Input = { "cond" },
            Output = { "z" },
            Attribute =
            {
                new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = branch },
                new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = branch.Clone() },
            },
        });
        proto.Graph.Node.Add(new NodeProto { Name = "late1", OpType = "Neg", Input = { "x" }, Output = { "late" } });

        var model = ModelFile.Parse(new MemoryStream(proto.ToByteArray()), "captures.onnx", null);

        var late = model.Graph.FindDeclared("late")!;
        var inner = model.Graph.Nodes[0].FindAttr("then_branch")!.AsGraph().Nodes[0];
        Assert.Same(late, inner.Input(0));
        Assert.Contains(late.Uses, u => ReferenceEquals(u.Node, inner));
    }

    void AssertRoundTrip(string path)
    {
        var model = ModelFile.Load(path);

        var again = ModelFile.Parse(new MemoryStream(ModelFile.Serialize(model)), path, Path.GetDirectoryName(path));

        Assert.Null(ModelDiff.FirstDifference(model, again));
    }

    static void AssertLoadFails(string path, params string[] fragments)
    {
        var error = Assert.Throws<ModelLoadException>(() => ModelFile.Load(path));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains(Path.GetFileName(path), error.Message, StringComparison.Ordinal);
        foreach (var fragment in fragments)
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>y = Relu(x), x: float32[4].</summary>
    static ModelProto TinyModel()
    {
        var graph = new GraphProto { Name = "tiny" };
        graph.Input.Add(new ValueInfoProto { Name = "x", Type = TensorTypeProto(ElementType.Float, 4) });
        graph.Node.Add(new NodeProto { Name = "relu1", OpType = "Relu", Input = { "x" }, Output = { "y" } });
        graph.Output.Add(new ValueInfoProto { Name = "y", Type = TensorTypeProto(ElementType.Float, 4) });
        return new ModelProto { IrVersion = 8, Graph = graph, OpsetImport = { new OperatorSetIdProto { Version = 13 } } };
    }

    static TypeProto TensorTypeProto(ElementType type, params long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } };
    }

    static TensorProto ExternalTensor(string name, string location) => new()
    {
        Name = name,
        DataType = (int)ElementType.Float,
        Dims = { 2 },
        DataLocation = TensorProto.Types.DataLocation.External,
        ExternalData = { new StringStringEntryProto { Key = "location", Value = location } },
    };

    /// <summary>Sum of float initializers w0, w1… of the given sizes, filled from a seeded generator.</summary>
    static Model WeightsModel(int seed, int[] elementCounts)
    {
        var random = new Random(seed);
        var graph = new Graph("weights");
        for (var i = 0; i < elementCounts.Length; i++)
        {
            var values = new float[elementCounts[i]];
            for (var j = 0; j < values.Length; j++)
                values[j] = (float)random.NextDouble();
            graph.AddInitializer($"w{i}", TensorData.Create<float>([values.Length], values));
        }
        var sum = graph.AddNode("Sum", graph.Initializers, ["total"], name: "sum");
        sum.Output(0).Type = new TensorType(ElementType.Float, null);
        graph.Outputs.Add(sum.Output(0));
        var model = new Model(graph) { ProducerName = "tests" };
        model.OpsetImports[""] = 13;
        return model;
    }
}
