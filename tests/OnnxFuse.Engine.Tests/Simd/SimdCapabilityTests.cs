using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Tests.Simd;

public sealed class SimdCapabilityTests
{
    [Theory]
    [InlineData("scalar", SimdWidth.Scalar)]
    [InlineData("V128", SimdWidth.Vector128)]
    public void Switch_caps_the_width(string setting, SimdWidth cap)
    {
        var resolved = SimdCapability.Resolve(setting);
        Assert.True(resolved <= cap);
    }

    [Fact]
    public void Unset_switch_means_the_hardware_width()
    {
        Assert.Equal(SimdCapability.HardwareWidth, SimdCapability.Resolve(null));
    }

    [Fact]
    public void Process_width_follows_the_environment_switch()
    {
        var expected = SimdCapability.Resolve(Environment.GetEnvironmentVariable(SimdCapability.EnvironmentVariable));
        Assert.Equal(expected, SimdCapability.Width);
    }
}
