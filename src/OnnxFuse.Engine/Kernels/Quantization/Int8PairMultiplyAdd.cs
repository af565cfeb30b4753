using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// The step of <see cref="Int8Gemm"/>'s micro-kernel: acc + Σ of adjacent int16 products, acc[i] + b[2i]·a[2i] + b[2i+1]·a[2i+1],
/// per ISA, so one kernel body serves both (the struct is a generic argument: the JIT compiles one copy per variant).
/// </summary>
interface IInt8PairMultiplyAdd
{
    static abstract Vector256<int> Invoke(Vector256<int> accumulator, Vector256<short> b, Vector256<short> a);
}

/// <summary>AVX2: vpmaddwd then vpaddd.</summary>
readonly struct Avx2PairMultiplyAdd : IInt8PairMultiplyAdd
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Invoke(Vector256<int> accumulator, Vector256<short> b, Vector256<short> a) =>
        Avx2.Add(accumulator, Avx2.MultiplyAddAdjacent(b, a));
}

/// <summary>AVX-VNNI: vpdpwssd, the same sum fused into one instruction (wrapping, as vpaddd does).</summary>
readonly struct AvxVnniPairMultiplyAdd : IInt8PairMultiplyAdd
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Invoke(Vector256<int> accumulator, Vector256<short> b, Vector256<short> a) =>
        AvxVnni.MultiplyWideningAndAdd(accumulator, b, a);
}
