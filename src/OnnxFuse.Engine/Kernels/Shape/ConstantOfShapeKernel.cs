using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Shape;

/// <summary>ConstantOfShape: a tensor of the shape given by input 0, every element the <c>value</c> attribute (default float 0).</summary>
sealed class ConstantOfShapeKernel(TensorData? value) : Kernel
{
    readonly ElementType _elementType = value?.ElementType ?? ElementType.Float;
    readonly byte[] _element = value is null ? new byte[4] : value.Bytes.ToArray();

    public override void Run(KernelContext context)
    {
        Span<long> shape = stackalloc long[ShapeMath.MaxRank];
        var rank = IntTensors.Read(context.Input(0), shape);
        Span<int> dims = stackalloc int[rank];
        for (var i = 0; i < rank; i++)
            dims[i] = (int)shape[i];
        var output = context.Output(0, _elementType, dims);
        var bytes = output.Write<byte>();
        for (var offset = 0; offset < bytes.Length; offset += _element.Length)
            _element.CopyTo(bytes[offset..]);
    }
}
