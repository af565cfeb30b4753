using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Quantization.Lowering;

/// <summary>
/// Lowers a QDQ model (what <see cref="Quantizer"/> and ONNX Runtime's static quantization write) to ONNX's QOperator form:
/// each DequantizeLinear → Conv/MatMul/Gemm/Add → QuantizeLinear group becomes one QLinearConv/QLinearMatMul or com.microsoft
/// QGemm/QLinearAdd, so an engine without ONNX Runtime's QDQ transformer runs int8 kernels. Q/DQ pairs around other ops stay (those ops
/// run in float); the DequantizeLinear of constant weights left over (a group that could not be lowered) is folded into a float initializer.
/// Not part of <see cref="Optimizer"/>'s catalog: the QDQ model is the portable one, and the managed target lowers at
/// session creation.
/// </summary>
public static class QdqLowering
{
    public static IReadOnlyList<Pass> Passes { get; } = [new QdqConvLowering(), new QdqMatMulLowering(), new QdqGemmLowering(), new QdqAddLowering(), new DequantizedConstantFolding()];

    /// <summary>Whether the model has anything to lower: a QuantizeLinear in any graph.</summary>
    public static bool HasQuantizeLinear(Model model) => model.Graph.AllNodes().Any(n => n.OpType == "QuantizeLinear" && n.IsDefaultDomain);

    /// <summary>A lowered copy of a model with QuantizeLinear nodes; any other model itself. The caller's model is left as it is.</summary>
    public static Model LoweredCopy(Model model)
    {
        if (!HasQuantizeLinear(model))
            return model;
        var lowered = model.Clone();
        Lower(lowered);
        return lowered;
    }

    /// <summary>Lowers <paramref name="model"/> in place; the report lists each group lowered.</summary>
    public static FusionReport Lower(Model model) => new PassManager(Passes, new OptimizerOptions()).Run(model);
}
