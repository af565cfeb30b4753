using OnnxFuse.Engine.Kernels.Gemm;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>
/// Conv weights prepared once at plan time for one <see cref="ConvParameters"/> shape: one packed GEMM A operand
/// ([M/G × C/G·kh·kw]) per group, or, for depthwise convs, a plain copy [C × kh × kw]. Immutable.
/// </summary>
public sealed class PackedConvWeights
{
    internal PackedConvWeights(ConvParameters parameters, PackedMatrix[] groups, float[]? depthwise)
    {
        Parameters = parameters;
        Groups = groups;
        Depthwise = depthwise;
    }

    /// <summary>The shape the weights were packed for (activation and thread count may differ at run time).</summary>
    public ConvParameters Parameters { get; }

    internal PackedMatrix[] Groups { get; }
    internal float[]? Depthwise { get; }
}
