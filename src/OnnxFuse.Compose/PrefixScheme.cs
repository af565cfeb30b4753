namespace OnnxFuse.Compose;

/// <summary>How each model's names are prefixed in the fused graph.</summary>
public enum PrefixScheme
{
    /// <summary><c>m0_</c>, <c>m1_</c>… by position.</summary>
    Index,

    /// <summary>The model's name, reduced to letters, digits and '_', then '_' (<c>vollo_mlp_</c>).</summary>
    ModelName,
}
