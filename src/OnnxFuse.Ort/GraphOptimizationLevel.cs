namespace OnnxFuse.Ort;

/// <summary>How much ONNX Runtime rewrites a graph when it loads it; numbered as ORT's <c>GraphOptimizationLevel</c>.</summary>
public enum GraphOptimizationLevel
{
    /// <summary>No rewrites: the graph runs as written.</summary>
    Disabled = 0,

    /// <summary>Semantics-preserving cleanups: constant folding, redundant node removal.</summary>
    Basic = 1,

    /// <summary>Basic plus fusions of several nodes into ORT's contrib kernels.</summary>
    Extended = 2,

    /// <summary>Extended plus layout optimizations.</summary>
    All = 99,
}
