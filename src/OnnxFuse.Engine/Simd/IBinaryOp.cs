using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>An element-wise operator z = f(x, y) with one scalar and one path per vector width.</summary>
public interface IBinaryOp
{
    float Invoke(float x, float y);

    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);

    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);

    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}
