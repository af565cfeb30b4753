namespace OnnxFuse.Ort.Tests;

public sealed class OrtLibraryLocatorTests
{
    [Fact]
    public void Missing_override_path_throws_unavailable_with_how_to_fetch()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-dir-{Guid.NewGuid():N}", "libonnxruntime.so.1");

        var error = Assert.Throws<OrtUnavailableException>(() => OrtLibraryLocator.Load(missing, AppContext.BaseDirectory));

        Assert.Contains("ONNXFUSE_ORT_LIB", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/fetch-onnxruntime.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Override_path_to_the_fetched_library_loads_it()
    {
        var cached = OrtLibraryLocator.FindInCache(AppContext.BaseDirectory);
        Assert.NotNull(cached);

        var native = OrtLibraryLocator.Load(cached, baseDirectory: Path.GetTempPath());

        Assert.Equal("1.30.0", native.Version);
    }

    [Fact]
    public void Finds_the_cached_library_in_a_folder_above_the_base_directory()
    {
        var root = Directory.CreateTempSubdirectory("onnxfuse-locator-").FullName;
        try
        {
            var library = Path.Combine(root, OrtLibraryLocator.CacheRelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(library)!);
            File.WriteAllBytes(library, []);
            var nested = Directory.CreateDirectory(Path.Combine(root, "artifacts", "bin", "tests")).FullName;

            Assert.Equal(library, OrtLibraryLocator.FindInCache(nested));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Finds_nothing_when_no_folder_above_has_the_cache()
    {
        var root = Directory.CreateTempSubdirectory("onnxfuse-locator-").FullName;
        try
        {
            Assert.Null(OrtLibraryLocator.FindInCache(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
