namespace OnnxFuse.Benchmarks;

static class Program
{
    static int Main(string[] args) => args is ["gemm", .. var rest] ? GemmBenchmark.Run(rest) : 0;
}
