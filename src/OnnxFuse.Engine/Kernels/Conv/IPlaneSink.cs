using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>
/// Where a depthwise kernel's output plane [OH × OW] goes, eight sums at a time by element index into the plane: floats
/// through an activation, or requantized int8 (the sums' last step runs in the register before the store).
/// </summary>
interface IPlaneSink
{
    /// <summary>Outputs index … index + 7 (lanes past a row's end land in the next row, which is written later).</summary>
    void Store(Vector256<float> sums, nint index);

    /// <summary>
    /// <paramref name="first"/> at firstIndex, then <paramref name="second"/> at secondIndex (adjacent, or the starts of two rows):
    /// the second store wins where the first's lanes spill into it.
    /// </summary>
    void StorePair(Vector256<float> first, nint firstIndex, Vector256<float> second, nint secondIndex);

    /// <summary>Only the first <paramref name="count"/> of them: the plane's last vector, whose other lanes are another plane's.</summary>
    void StorePartial(Vector256<float> sums, nint index, int count);
}
