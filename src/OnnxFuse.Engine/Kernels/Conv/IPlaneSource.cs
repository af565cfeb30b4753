using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>
/// A depthwise kernel's input plane [H × W] read as float32, by element index into the plane: float planes as they are,
/// int8 planes converted as they are read (<see cref="DepthwiseConv3x3Vector256"/> copies the plane into its padded scratch
/// through this, so a conversion costs no pass of its own).
/// </summary>
interface IPlaneSource
{
    /// <summary>Elements index … index + 7 (the caller keeps them inside the plane).</summary>
    Vector256<float> Load(nint index);

    float LoadScalar(nint index);
}
