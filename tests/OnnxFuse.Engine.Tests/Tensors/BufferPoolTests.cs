using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Tests.Tensors;

public sealed class BufferPoolTests
{
    [Fact]
    public void A_returned_buffer_is_handed_out_again_for_a_request_that_fits()
    {
        var pool = new BufferPool();
        var first = pool.Rent(1000);
        pool.Return(first);

        var second = pool.Rent(900);

        Assert.Same(first, second);
        Assert.Equal(1, pool.AllocationCount);
    }

    [Fact]
    public void The_smallest_free_buffer_that_fits_is_chosen()
    {
        var pool = new BufferPool();
        var large = pool.Rent(4096);
        var small = pool.Rent(128);
        pool.Return(large);
        pool.Return(small);

        Assert.Same(small, pool.Rent(100));
        Assert.Same(large, pool.Rent(200));
    }

    [Fact]
    public void Peak_bytes_track_the_most_held_at_once()
    {
        var pool = new BufferPool();
        var a = pool.Rent(64);
        var b = pool.Rent(64);
        pool.Return(a);
        pool.Return(b);
        pool.Rent(64);

        Assert.Equal(128, pool.PeakBytes);
        Assert.Equal(64, pool.InUseBytes);
    }
}
