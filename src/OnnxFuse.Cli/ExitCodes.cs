namespace OnnxFuse.Cli;

/// <summary>Process exit codes of the onnxfuse tool (documented in README.md).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Bad input: unreadable or invalid model, bad arguments, shape or type mismatch.</summary>
    public const int InvalidInput = 1;

    /// <summary>The model uses an operator or feature this command does not support.</summary>
    public const int Unsupported = 3;

    /// <summary>The fused models do not fit the resource budget.</summary>
    public const int BudgetExceeded = 4;

    /// <summary>A bug in OnnxFuse: the message says "internal error"; run again with --verbose for the trace.</summary>
    public const int InternalError = 70;
}
