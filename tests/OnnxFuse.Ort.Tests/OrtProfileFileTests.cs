using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ort.Tests;

public sealed class OrtProfileFileTests
{
    [Fact]
    public void A_profiled_session_records_one_kernel_call_per_node_and_run()
    {
        var folder = Directory.CreateTempSubdirectory("onnxfuse-ort-profile-test-");
        try
        {
            var options = new OrtSessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.Disabled,
                IntraOpThreads = 1,
                ProfileFilePrefix = Path.Combine(folder.FullName, "run"),
            };
            var inputs = new Dictionary<string, TensorData>
            {
                ["a"] = TensorData.Create<float>([2, 3], [1f, 2f, 3f, 4f, 5f, 6f]),
                ["b"] = TensorData.Create<float>([2, 3], [6f, 5f, 4f, 3f, 2f, 1f]),
            };
            using (var session = OrtSession.Create(TestModels.AddAndMul(Shape.Of(2, 3)), options))
            {
                for (var run = 0; run < 4; run++)
                    session.Run(inputs);
            }

            // ORT writes the file when the session closes.
            var file = Assert.Single(folder.GetFiles("run*.json"));
            var calls = OrtProfileFile.ReadKernelCalls(file.FullName);

            Assert.Equal(["Add", "Add", "Add", "Add", "Mul", "Mul", "Mul", "Mul"], calls.Select(c => c.OpType).Order(StringComparer.Ordinal));
            Assert.All(calls, c => Assert.Equal("float[2,3] float[2,3] → float[2,3]", c.Shapes));
            Assert.All(calls, c => Assert.True(c.DurationMicroseconds >= 0));
            Assert.True(calls.Zip(calls.Skip(1)).All(pair => pair.First.StartMicroseconds <= pair.Second.StartMicroseconds), "calls in start order");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[{\"cat\": \"Node\", \"name\": \"x_kernel_time\"}]")]
    [InlineData("not json")]
    public void A_file_that_is_not_an_ort_profile_is_refused_naming_it(string text)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, text);

            var error = Assert.Throws<OrtException>(() => OrtProfileFile.ReadKernelCalls(path));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("not an ONNX Runtime profile", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
