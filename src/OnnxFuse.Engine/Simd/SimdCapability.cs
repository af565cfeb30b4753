using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>
/// The vector width drivers and kernels use: the widest accelerated width, capped once per process by
/// <c>ONNXFUSE_SIMD=scalar|v128|v256|v512</c> (read in the static constructor, as Sep's <c>SEPFORCEPARSER</c>),
/// so the test suite can run once normally and once with SIMD disabled.
/// </summary>
public static class SimdCapability
{
    /// <summary>Name of the environment variable that caps <see cref="Width"/>.</summary>
    public const string EnvironmentVariable = "ONNXFUSE_SIMD";

    /// <summary>The width in use: min(hardware, <c>ONNXFUSE_SIMD</c>).</summary>
    public static SimdWidth Width { get; } = Resolve(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The widest width the hardware accelerates, ignoring the environment switch.</summary>
    public static SimdWidth HardwareWidth =>
        Vector512.IsHardwareAccelerated ? SimdWidth.Vector512
        : Vector256.IsHardwareAccelerated ? SimdWidth.Vector256
        : Vector128.IsHardwareAccelerated ? SimdWidth.Vector128
        : SimdWidth.Scalar;

    /// <summary>Parses a switch value (case-insensitive; unknown or empty means no cap) and caps it by the hardware.</summary>
    public static SimdWidth Resolve(string? setting)
    {
        var cap = setting?.Trim().ToUpperInvariant() switch
        {
            "SCALAR" or "NONE" or "0" => SimdWidth.Scalar,
            "V128" or "128" => SimdWidth.Vector128,
            "V256" or "256" => SimdWidth.Vector256,
            _ => SimdWidth.Vector512,
        };
        var hardware = HardwareWidth;
        return cap < hardware ? cap : hardware;
    }
}
