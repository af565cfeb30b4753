namespace OnnxFuse.Testing;

/// <summary>Where tests find the repository, the team's shared models and ONNX's backend test data.</summary>
public static class TestPaths
{
    static readonly Lazy<string> s_repositoryRoot = new(FindRepositoryRoot);

    public static string RepositoryRoot => s_repositoryRoot.Value;

    /// <summary>The team's shared folder: <c>ONNXFUSE_SHARED</c>, else <c>../shared</c> beside the repository.</summary>
    public static string Shared =>
        Environment.GetEnvironmentVariable("ONNXFUSE_SHARED") is { Length: > 0 } path
            ? path
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string SharedModels => Path.Combine(Shared, "models");

    /// <summary>Names of the folders under shared/models that hold a model.onnx.</summary>
    public static IReadOnlyList<string> SharedModelNames =>
        [.. Directory.EnumerateDirectories(SharedModels).Where(d => File.Exists(Path.Combine(d, "model.onnx")))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public static string SharedModel(string name) => Path.Combine(SharedModels, name, "model.onnx");

    /// <summary>Debian's libonnx-testdata root (holding node/, pytorch-converted/, …); <c>ONNXFUSE_ONNX_TESTDATA</c> overrides.</summary>
    public static string OnnxTestData =>
        Environment.GetEnvironmentVariable("ONNXFUSE_ONNX_TESTDATA") is { Length: > 0 } path
            ? path
            : "/usr/share/libonnx-testdata/data";

    static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OnnxFuse.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"no OnnxFuse.slnx above {AppContext.BaseDirectory}");
    }
}
