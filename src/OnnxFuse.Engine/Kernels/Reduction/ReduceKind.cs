namespace OnnxFuse.Engine.Kernels.Reduction;

/// <summary>The ONNX Reduce* operators.</summary>
enum ReduceKind
{
    Sum,
    Mean,
    Max,
    Min,
    Prod,
    SumSquare,
    L1,
    L2,
    LogSum,
    LogSumExp,
}
