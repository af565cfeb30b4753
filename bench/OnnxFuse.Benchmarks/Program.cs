namespace OnnxFuse.Benchmarks;

/// <summary>Dispatches to one benchmark per verb: <c>io [MODEL]</c>, <c>gemm [--quick] [--no-conv|--conv-only|--bert]</c>, <c>int8 [--quick] [--depthwise|--pointwise]</c>,
/// <c>activation [--quick]</c>,
/// <c>conformance [--output FILE]</c>, <c>matmul-model OUTPUT [SIZE]</c>,
/// <c>attention-model OUTPUT [SEQ] [HIDDEN] [HEADS] [--unfused]</c>, <c>attention-core [SEQ] [HEADS] [HEAD_SIZE] [--causal] [--seconds N]</c>,
/// <c>recurrent-model OUTPUT [LSTM|GRU|RNN] [SEQ] [BATCH] [INPUT] [HIDDEN] [--bidirectional]</c>, <c>multi-model [A.onnx B.onnx] [--quick]</c>.</summary>
static class Program
{
    static int Main(string[] args) => args switch
    {
        ["io", .. var rest] => IoBenchmark.Run(rest),
        ["gemm", .. var rest] => GemmBenchmark.Run(rest),
        ["int8", .. var rest] => Int8Benchmark.Run(rest),
        ["activation", .. var rest] => ActivationBenchmark.Run(rest),
        ["conformance", .. var rest] => ConformanceReport.Run(rest),
        ["matmul-model", .. var rest] => MatMulModel.Run(rest),
        ["attention-model", .. var rest] => AttentionModel.Run(rest),
        ["attention-core", .. var rest] => AttentionCoreBenchmark.Run(rest),
        ["recurrent-model", .. var rest] => RecurrentModel.Run(rest),
        ["multi-model", .. var rest] => MultiModelBenchmark.Run(rest),
        _ => Usage(),
    };

    static int Usage()
    {
        Console.Error.WriteLine("usage: OnnxFuse.Benchmarks io [MODEL.onnx] | gemm [--quick] [--no-conv|--conv-only|--bert] | int8 [--quick] [--depthwise|--pointwise] | activation [--quick] "
            + "| conformance [--output FILE] | matmul-model OUTPUT [SIZE] | attention-model OUTPUT [SEQ] [HIDDEN] [HEADS] [--unfused] "
            + "| attention-core [SEQ] [HEADS] [HEAD_SIZE] [--causal] [--seconds N] | recurrent-model OUTPUT [LSTM|GRU|RNN] [SEQ] [BATCH] [INPUT] [HIDDEN] "
            + "[--bidirectional] | multi-model [A.onnx B.onnx] [--quick]");
        return 2;
    }
}
