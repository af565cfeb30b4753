using System.Globalization;
using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;

namespace OnnxFuse.Benchmarks;

/// <summary>
/// The <c>matmul-model OUTPUT [SIZE]</c> verb: writes a one-node MatMul model, Y = A · B with A and B both
/// [SIZE × SIZE] inputs (default 2048), so <c>onnxfuse bench OUTPUT</c> times ONNX Runtime's MatMul against the managed
/// GEMM on the shape the <c>gemm</c> verb reports.
/// </summary>
static class MatMulModel
{
    public static int Run(string[] args)
    {
        if (args.Length is < 1 or > 2)
        {
            Console.Error.WriteLine("usage: OnnxFuse.Benchmarks matmul-model OUTPUT.onnx [SIZE]");
            return 2;
        }
        var size = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 2048;
        var builder = new GraphBuilder(opset: 13, name: $"matmul_{size}");
        var a = builder.Input("A", ElementType.Float, size, size);
        var b = builder.Input("B", ElementType.Float, size, size);
        builder.Output(builder.Node("MatMul", [a, b]), "Y");
        ModelFile.Save(builder.Build(), args[0]);
        Console.WriteLine($"MatMul {size}×{size}×{size} → {args[0]}");
        return 0;
    }
}
