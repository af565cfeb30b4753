using OnnxFuse.Engine.Kernels.Attention;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Tests.Kernels.Attention;

/// <summary>ONNX Runtime's int32 mask formats turned into additive rows; oracle: the format definitions in <see cref="AttentionMask"/>.</summary>
public sealed class AttentionMaskTests
{
    const float Filter = -10000f;

    [Fact]
    public void End_positions_mask_keys_from_the_end_position_on()
    {
        var layout = AttentionMask.Describe([2], batchCount: 2, queryLength: 3, keyLength: 4, "mask");
        var additive = new float[layout.Length];

        AttentionMask.WriteAdditive([3, 9], [2], 2, 4, Filter, additive);

        Assert.Equal(new AttentionMask.Layout(8, 4, 0), layout);
        Assert.Equal([0, 0, 0, Filter, 0, 0, 0, 0], additive);
    }

    [Fact]
    public void Start_positions_also_mask_keys_before_them()
    {
        var additive = new float[8];

        AttentionMask.WriteAdditive([3, 4, 1, 0], [4], 2, 4, Filter, additive);

        Assert.Equal([Filter, 0, 0, Filter, 0, 0, 0, 0], additive);
    }

    [Fact]
    public void Raw_masks_attend_where_positive()
    {
        var layout = AttentionMask.Describe([1, 2, 3], batchCount: 1, queryLength: 2, keyLength: 3, "mask");
        var additive = new float[layout.Length];

        AttentionMask.WriteAdditive([1, 0, 2, 0, -1, 1], [1, 2, 3], 1, 3, Filter, additive);

        Assert.Equal(new AttentionMask.Layout(6, 6, 3), layout);
        Assert.Equal([0, Filter, 0, Filter, Filter, 0], additive);
    }

    [Fact]
    public void One_value_per_batch_entry_masks_nothing()
    {
        Assert.Equal(AttentionMask.Layout.None, AttentionMask.Describe([2, 1], 2, 3, 4, "mask"));
        Assert.Equal(AttentionMask.Layout.None, AttentionMask.Describe([1, 1], 2, 3, 4, "mask"));
    }

    [Fact]
    public void Rejects_4d_masks_as_unsupported_and_other_shapes_as_mismatched()
    {
        Assert.Throws<UnsupportedOpException>(() => AttentionMask.Describe([2, 1, 4, 4], 2, 4, 4, "mask"));
        Assert.Throws<ShapeMismatchException>(() => AttentionMask.Describe([2, 5], 2, 4, 4, "mask"));
        Assert.Throws<ShapeMismatchException>(() => AttentionMask.Describe([3], 2, 4, 4, "mask"));
    }
}
