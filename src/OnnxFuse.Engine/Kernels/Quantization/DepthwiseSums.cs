namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>How <see cref="QuantizedDepthwiseConv"/> computes a channel's int32 sums.</summary>
enum DepthwiseSums
{
    /// <summary><see cref="QuantizedDepthwiseConv.ChannelScalar{T}"/>: any geometry.</summary>
    Scalar,

    /// <summary><see cref="QuantizedDepthwiseConvVector256"/>: AVX2, strides 1–2, no dilation.</summary>
    Int16Pairs,

    /// <summary><see cref="QuantizedDepthwiseConvFloat"/>: AVX2, 3×3, strides 1–2 (equal), no dilation.</summary>
    Float,

    /// <summary><see cref="QuantizedDepthwiseConvInterleaved"/>: as <see cref="Float"/>, eight channels per vector.</summary>
    Interleaved,
}
