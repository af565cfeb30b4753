using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// Where a quantized convolution's accumulators go: output [N, M, spatial] as int32 (ConvInteger) or requantized to
/// uint8/int8 with per-channel multipliers and int32 bias (QLinearConv), through the matching <see cref="IInt8Epilogue"/>.
/// </summary>
readonly struct QuantizedConvTarget(RuntimeTensor output, float[]? multipliers, int[]? bias, int zeroPoint, int batchStride, int spatial)
{
    /// <summary>Output channels [rowOffset, rowOffset + a.RowCount) of batch entry n = a · b.</summary>
    public void Multiply(Int8PackedRows a, Int8PackedColumns b, int n, int rowOffset, int threadCount) =>
        Multiply(new PairProduct(a, b), n, rowOffset, threadCount);

    /// <summary>As above through the AVX-VNNI quad kernel (<see cref="Int8GemmQuads"/>; its scalar reference without AVX-VNNI).</summary>
    public void Multiply(Int8QuadRows a, Int8QuadColumns b, int n, int rowOffset, int threadCount) =>
        Multiply(new QuadProduct(a, b), n, rowOffset, threadCount);

    unsafe void Multiply<TProduct>(TProduct product, int n, int rowOffset, int threadCount) where TProduct : struct, IInt8Product
    {
        fixed (float* m = multipliers)
        fixed (int* add = bias)
        {
            switch (output.ElementType)
            {
                case ElementType.Int32:
                    fixed (int* y = output.Write<int>())
                        product.Run(new Int32StoreEpilogue(y + (long)n * batchStride + (long)rowOffset * spatial, spatial), threadCount);
                    break;
                case ElementType.UInt8:
                    fixed (byte* y = output.Write<byte>())
                        product.Run(new RequantizeEpilogue<byte>(y + (long)n * batchStride, spatial, rowOffset, m, multipliers!.Length, add, true,
                            zeroPoint), threadCount);
                    break;
                case ElementType.Int8:
                    fixed (sbyte* y = output.Write<sbyte>())
                        product.Run(new RequantizeEpilogue<sbyte>(y + (long)n * batchStride, spatial, rowOffset, m, multipliers!.Length, add, true,
                            zeroPoint), threadCount);
                    break;
                default:
                    Throw.ShapeMismatch($"QLinearConv output must be uint8 or int8, got {output.ElementType.DisplayName()}");
                    break;
            }
        }
    }

    /// <summary>An int8 product whose accumulators go to an epilogue: the int16 pairs or the AVX-VNNI quads.</summary>
    interface IInt8Product
    {
        void Run<TEpilogue>(TEpilogue epilogue, int threadCount) where TEpilogue : struct, IInt8Epilogue;
    }

    readonly struct PairProduct(Int8PackedRows a, Int8PackedColumns b) : IInt8Product
    {
        public void Run<TEpilogue>(TEpilogue epilogue, int threadCount) where TEpilogue : struct, IInt8Epilogue =>
            Int8Gemm.Run(a, b, epilogue, threadCount);
    }

    readonly struct QuadProduct(Int8QuadRows a, Int8QuadColumns b) : IInt8Product
    {
        public void Run<TEpilogue>(TEpilogue epilogue, int threadCount) where TEpilogue : struct, IInt8Epilogue =>
            Int8GemmQuads.Run(a, b, epilogue, threadCount, Int8Gemm.UsesAvxVnni);
    }

    /// <summary>Writes one output channel's accumulators [spatial] of batch entry n.</summary>
    public unsafe void WriteChannel(int n, int channel, ReadOnlySpan<int> values)
    {
        fixed (float* m = multipliers)
        fixed (int* add = bias)
        {
            switch (output.ElementType)
            {
                case ElementType.Int32:
                    fixed (int* y = output.Write<int>())
                        new Int32StoreEpilogue(y + (long)n * batchStride, spatial).Write(channel, 0, values);
                    break;
                case ElementType.UInt8:
                    fixed (byte* y = output.Write<byte>())
                        new RequantizeEpilogue<byte>(y + (long)n * batchStride, spatial, 0, m, multipliers!.Length, add, true, zeroPoint).Write(channel, 0, values);
                    break;
                case ElementType.Int8:
                    fixed (sbyte* y = output.Write<sbyte>())
                        new RequantizeEpilogue<sbyte>(y + (long)n * batchStride, spatial, 0, m, multipliers!.Length, add, true, zeroPoint).Write(channel, 0, values);
                    break;
                default:
                    Throw.ShapeMismatch($"QLinearConv output must be uint8 or int8, got {output.ElementType.DisplayName()}");
                    break;
            }
        }
    }

    /// <summary>The output's element type: int32 (ConvInteger), uint8 or int8.</summary>
    public ElementType OutputType => output.ElementType;

    /// <summary>The output [N, M, spatial] to write, as <typeparamref name="T"/> (the <see cref="OutputType"/>).</summary>
    public Span<T> Write<T>()
        where T : unmanaged => output.Write<T>();

    public int ZeroPoint => zeroPoint;

    public float Multiplier(int channel) => multipliers![multipliers.Length == 1 ? 0 : channel];

    public int Bias(int channel) => bias is null ? 0 : bias[channel];
}
