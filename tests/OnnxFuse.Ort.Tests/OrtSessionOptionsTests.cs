namespace OnnxFuse.Ort.Tests;

public sealed class OrtSessionOptionsTests
{
    [Fact]
    public void Defaults_to_all_optimizations_and_ort_chosen_thread_counts()
    {
        var options = OrtSessionOptions.Default;

        Assert.Equal(GraphOptimizationLevel.All, options.GraphOptimizationLevel);
        Assert.Equal(0, options.IntraOpThreads);
        Assert.Equal(0, options.InterOpThreads);
    }

    [Fact]
    public void Optimization_levels_carry_ort_numbers()
    {
        Assert.Equal([0, 1, 2, 99], Enum.GetValues<GraphOptimizationLevel>().Select(level => (int)level));
    }
}
