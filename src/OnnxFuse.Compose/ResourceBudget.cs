using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Compose;

/// <summary>
/// Checks a fusion's estimated memory need against a budget: deduplicated weights plus peak activations (summed
/// over models in parallel mode, where all run; the largest model's in switched mode, where one runs).
/// </summary>
public static class ResourceBudget
{
    /// <summary>Throws <see cref="BudgetExceededException"/> listing every model's figures when the need exceeds <paramref name="budgetBytes"/>.</summary>
    public static void Check(FusionMetadata metadata, long budgetBytes)
    {
        if (metadata.EstimatedBytes <= budgetBytes)
            return;
        var models = string.Join("; ", metadata.Models.Select(m =>
            $"'{m.Name}' weights {ByteSize.Format(m.WeightBytes)}, activations {ByteSize.Format(m.PeakActivationBytes)}"));
        var combine = metadata.Mode == "parallel" ? "summed" : "largest";
        throw new BudgetExceededException(
            $"fused model needs an estimated {ByteSize.Format(metadata.EstimatedBytes)} (weights {ByteSize.Format(metadata.WeightBytes)} deduplicated "
            + $"+ activations {ByteSize.Format(metadata.PeakActivationBytes)} {combine}) but the budget is {ByteSize.Format(budgetBytes)}; per model: {models}");
    }
}
