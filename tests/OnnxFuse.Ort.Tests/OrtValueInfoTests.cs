using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ort.Tests;

public sealed class OrtValueInfoTests
{
    [Fact]
    public void Prints_name_type_and_shape_with_symbols()
    {
        var info = new OrtValueInfo("input_ids", ElementType.Int64, new Shape([Dim.Symbol("batch"), Dim.Of(128), Dim.Unknown]));

        Assert.Equal("input_ids: int64[batch,128,?]", info.ToString());
    }
}
