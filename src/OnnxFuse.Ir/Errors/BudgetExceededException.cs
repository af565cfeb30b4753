namespace OnnxFuse.Ir.Errors;

/// <summary>Fused models need more memory than the budget allows; the message lists every model's figures.</summary>
public sealed class BudgetExceededException : OnnxFuseException
{
    public BudgetExceededException() { }

    public BudgetExceededException(string message) : base(message) { }

    public BudgetExceededException(string message, Exception innerException) : base(message, innerException) { }
}
