namespace OnnxFuse.Ort.Tests;

public sealed class NativeMethodsTests
{
    [Fact]
    public void Binds_the_newest_api_version_the_library_offers()
    {
        var native = NativeMethods.Load(OrtLibraryLocator.FindInCache(AppContext.BaseDirectory)!);

        Assert.Equal(NativeMethods.PreferredApiVersion, native.ApiVersion);
        Assert.Equal("1.30.0", native.Version);
    }

    [Fact]
    public void Library_the_loader_cannot_find_throws_unavailable()
    {
        var error = Assert.Throws<OrtUnavailableException>(() => NativeMethods.Load("libonnxruntime-missing-for-test.so.1"));

        Assert.Contains("libonnxruntime-missing-for-test.so.1", error.Message, StringComparison.Ordinal);
        Assert.Contains("ONNXFUSE_ORT_LIB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_that_is_not_a_shared_library_throws_unavailable()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a shared library");

            Assert.Throws<OrtUnavailableException>(() => NativeMethods.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Shared_library_without_the_ort_entry_point_throws_unavailable()
    {
        var error = Assert.Throws<OrtUnavailableException>(() => NativeMethods.Load("libc.so.6"));

        Assert.Contains("OrtGetApiBase", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_status_means_success()
    {
        var native = OrtRuntime.Shared.Native;

        native.Check(0, "to do nothing");
    }
}
