using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Compose;

/// <summary>A fusion request that cannot be met: too few models, clashing names or prefixes, an input that cannot get a default.</summary>
public sealed class FusionException : OnnxFuseException
{
    public FusionException() { }

    public FusionException(string message) : base(message) { }

    public FusionException(string message, Exception innerException) : base(message, innerException) { }
}
