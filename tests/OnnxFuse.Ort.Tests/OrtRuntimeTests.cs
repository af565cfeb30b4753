namespace OnnxFuse.Ort.Tests;

public sealed class OrtRuntimeTests
{
    [Fact]
    public void Reports_the_fetched_library_as_available()
    {
        Assert.True(OrtRuntime.IsAvailable, OrtRuntime.UnavailableReason);
        Assert.Null(OrtRuntime.UnavailableReason);
    }

    [Fact]
    public void Reports_version_1_30_and_api_version_30()
    {
        Assert.Equal("1.30.0", OrtRuntime.Version);
        Assert.Equal(30, OrtRuntime.ApiVersion);
        Assert.EndsWith("libonnxruntime.so.1", OrtRuntime.LibraryPath, StringComparison.Ordinal);
    }
}
