using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Tests.Kernels.Image;

/// <summary>
/// GridSample over every mode × padding × align_corners, grid points reaching past the image (±1.6) so padding
/// matters; ONNX Runtime is the oracle (the backend tests cover only some combinations), within 1e-5 + 1e-4·|ort|.
/// </summary>
public sealed class GridSampleKernelTests
{
    public static TheoryData<string, string, long> Combinations()
    {
        var data = new TheoryData<string, string, long>();
        foreach (var mode in new[] { "nearest", "bilinear", "bicubic" })
            foreach (var padding in new[] { "zeros", "border", "reflection" })
                foreach (var align in new long[] { 0, 1 })
                    data.Add(mode, padding, align);
        return data;
    }

    [Theory, MemberData(nameof(Combinations))]
    public void GridSample_matches_onnx_runtime(string mode, string padding, long alignCorners)
    {
        var x = OrtOracle.Floats(seed: 11, [2, 3, 5, 4]);
        var grid = OrtOracle.Floats(seed: 12, [2, 6, 7, 2], min: -1.6f, max: 1.6f);

        OrtOracle.AssertMatchesOrt("GridSample", [x, grid],
            [Attr.String("mode", mode), Attr.String("padding_mode", padding), Attr.Int("align_corners", alignCorners)], domain: "");
    }
}
