using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// DepthToSpace and SpaceToDepth on [N, C, H, W] with block size b: the same permutation read in either direction.
/// Depth [N, C·b², H, W] ↔ space [N, C, H·b, W·b], where space (n, c, h·b + i, w·b + j) is depth channel
/// (i·b + j)·C + c (DCR, SpaceToDepth's only order) or c·b² + i·b + j (CRD). Any element type (copied as bytes).
/// </summary>
sealed class DepthSpaceKernel(int blockSize, bool toSpace, bool columnRowDepth) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var b = blockSize;
        if (input.Rank != 4 || b <= 0)
            Throw.ShapeMismatch($"{Name} needs a 4-D input and a positive blocksize, got {input} and {b}");
        var (batch, channels, height, width) = (input.Dim(0), input.Dim(1), input.Dim(2), input.Dim(3));
        if (toSpace ? channels % (b * b) != 0 : height % b != 0 || width % b != 0)
            Throw.ShapeMismatch($"{Name} input {input} does not divide by blocksize {b}");
        // Sizes of the space side: C, H·b, W·b.
        var (spaceChannels, spaceHeight, spaceWidth) = toSpace ? (channels / (b * b), height * b, width * b) : (channels, height, width);
        Span<int> dims = [batch, toSpace ? spaceChannels : channels * b * b, toSpace ? spaceHeight : height / b, toSpace ? spaceWidth : width / b];
        var output = context.Output(0, input.ElementType, dims);
        var (depthHeight, depthWidth) = (spaceHeight / b, spaceWidth / b);
        var size = input.ElementSize;
        var source = input.Bytes;
        var target = output.Write<byte>();
        var space = 0;
        for (var n = 0; n < batch; n++)
        {
            for (var c = 0; c < spaceChannels; c++)
            {
                for (var y = 0; y < spaceHeight; y++)
                {
                    for (var x = 0; x < spaceWidth; x++, space++)
                    {
                        var (i, j) = (y % b, x % b);
                        var depthChannel = columnRowDepth ? c * b * b + i * b + j : (i * b + j) * spaceChannels + c;
                        var depth = ((n * spaceChannels * b * b + depthChannel) * depthHeight + y / b) * depthWidth + x / b;
                        var (from, to) = toSpace ? (depth, space) : (space, depth);
                        source.Slice(from * size, size).CopyTo(target.Slice(to * size, size));
                    }
                }
            }
        }
    }

    string Name => toSpace ? "DepthToSpace" : "SpaceToDepth";
}
