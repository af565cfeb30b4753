using System.Runtime.Intrinsics.X86;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

/// <summary>
/// Capability gate for tests that execute AVX-VNNI instructions: skipped, visibly, on a CPU without AVX-VNNI, unless
/// <c>ONNXFUSE_EXPECT_AVX_VNNI=1</c> says the machine has it; then the test runs (and fails there without it), so a VNNI
/// machine's run cannot pass by skipping.
/// </summary>
static class AvxVnniGate
{
    public const string ExpectVariable = "ONNXFUSE_EXPECT_AVX_VNNI";

    public static bool Expected => Environment.GetEnvironmentVariable(ExpectVariable) == "1";

    public static string? SkipReason => AvxVnni.IsSupported || Expected ? null : $"needs AVX-VNNI (this CPU has none; {ExpectVariable}=1 forces it)";
}

/// <summary>A <see cref="FactAttribute"/> gated by <see cref="AvxVnniGate"/>.</summary>
public sealed class AvxVnniFactAttribute : FactAttribute
{
    public AvxVnniFactAttribute() => Skip = AvxVnniGate.SkipReason;
}

/// <summary>A <see cref="TheoryAttribute"/> gated by <see cref="AvxVnniGate"/>.</summary>
public sealed class AvxVnniTheoryAttribute : TheoryAttribute
{
    public AvxVnniTheoryAttribute() => Skip = AvxVnniGate.SkipReason;
}
