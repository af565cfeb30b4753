using OnnxFuse.Ir.Errors;
using static OnnxFuse.Compose.Tests.FusionHarness;

namespace OnnxFuse.Compose.Tests;

public sealed class ResourceBudgetTests
{
    [Fact]
    public void A_budget_above_the_estimate_lets_fusion_through()
    {
        var fused = ModelFusion.Fuse([Shared("vollo_mlp"), Shared("vollo_cnn")], new FusionOptions { MemoryBudgetBytes = 64L << 20 });

        Assert.True(FusionMetadata.Read(fused)!.EstimatedBytes < 64L << 20);
    }

    [Fact]
    public void A_budget_below_the_estimate_throws_listing_every_model()
    {
        var error = Assert.Throws<BudgetExceededException>(() =>
            ModelFusion.Fuse([Shared("vollo_mlp"), Shared("vollo_cnn")], new FusionOptions { MemoryBudgetBytes = 100_000 }));

        Assert.Contains("'vollo_mlp' weights", error.Message, StringComparison.Ordinal);
        Assert.Contains("'vollo_cnn' weights", error.Message, StringComparison.Ordinal);
        Assert.Contains("budget is 97.66 KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Switched_fusion_counts_only_the_largest_models_activations()
    {
        var models = new[] { Shared("vollo_mlp"), Shared("vollo_cnn") };

        var parallel = FusionMetadata.Read(ModelFusion.Fuse(models, new FusionOptions()))!;
        var switched = FusionMetadata.Read(ModelFusion.Fuse(models, new FusionOptions { Mode = FusionMode.Switched }))!;

        Assert.Equal(parallel.Models.Sum(m => m.PeakActivationBytes), parallel.PeakActivationBytes);
        Assert.Equal(switched.Models.Max(m => m.PeakActivationBytes), switched.PeakActivationBytes);
    }

    [Theory]
    [InlineData("512", 512L)]
    [InlineData("64MB", 64_000_000L)]
    [InlineData("1.5GiB", 1_610_612_736L)]
    [InlineData("10 kib", 10_240L)]
    public void Byte_sizes_parse_decimal_and_binary_units(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1MB")]
    [InlineData("12 parsecs")]
    public void Byte_sizes_reject_what_is_not_a_size(string text) => Assert.False(ByteSize.TryParse(text, out _));
}
