using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// Whether the int8 GEMM uses AVX-VNNI (vpdpwssd for int16 pairs, vpdpbusd for u8 × s8 quads): the CPU has it,
/// <c>ONNXFUSE_SIMD</c> allows 256 bits, and <c>ONNXFUSE_VNNI=off</c> is not set. The switch, read once per process,
/// lets a benchmark time the AVX2 kernel on a VNNI machine. .NET exposes only the VEX (256-bit) form: there is no
/// 512-bit vpdpbusd API short of AVX10.2's <c>AvxVnniInt8.V512</c>.
/// </summary>
static class AvxVnniSwitch
{
    public const string EnvironmentVariable = "ONNXFUSE_VNNI";

    public static bool IsEnabled { get; } = Resolve(Environment.GetEnvironmentVariable(EnvironmentVariable));

    static bool Resolve(string? setting) =>
        AvxVnni.IsSupported && Avx2.IsSupported && SimdCapability.Width >= SimdWidth.Vector256
        && setting?.Trim().ToUpperInvariant() is not ("OFF" or "0" or "FALSE");
}
