namespace OnnxFuse.Ort;

/// <summary>
/// One kernel call from an ONNX Runtime profile (<see cref="OrtProfileFile"/>): the node, its operator, its input shapes
/// then its first output's ("float[1,128,256] float[256,256] → float[1,128,256]"), when it started and how long it ran.
/// </summary>
public sealed record OrtKernelCall(string Node, string OpType, string Shapes, long StartMicroseconds, long DurationMicroseconds);
