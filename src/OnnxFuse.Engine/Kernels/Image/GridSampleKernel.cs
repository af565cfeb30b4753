using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Image;

/// <summary>
/// GridSample (opset 16+, 4-D, float32): X [N, C, H, W], grid [N, Hout, Wout, 2] of normalized (x, y) in [−1, 1]
/// → Y [N, C, Hout, Wout]. A normalized coordinate maps to pixels as (g + 1)/2 · (size − 1) with align_corners,
/// else ((g + 1) · size − 1)/2. Padding: zeros reads 0 outside the image; border clamps the coordinate to
/// [0, size − 1]; reflection mirrors it about the borders (pixel centres with align_corners, else pixel edges) and
/// then clamps. nearest rounds half to even; bilinear blends the 2×2 neighbours; bicubic the 4×4 with A = −0.75,
/// each tap padded on its own.
/// </summary>
sealed class GridSampleKernel(GridSampleMode mode, GridSamplePadding padding, bool alignCorners) : Kernel
{
    const double CubicA = -0.75;

    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var grid = context.Input(1);
        if (x.ElementType != ElementType.Float || grid.ElementType != ElementType.Float)
            Throw.ShapeMismatch($"GridSample supports float32 only, got X {x} and grid {grid}");
        if (x.Rank != 4 || grid.Rank != 4 || grid.Dim(0) != x.Dim(0) || grid.Dim(3) != 2)
            Throw.ShapeMismatch($"GridSample needs X [N, C, H, W] and grid [N, Hout, Wout, 2], got {x} and {grid}");
        int batchCount = x.Dim(0), channelCount = x.Dim(1), height = x.Dim(2), width = x.Dim(3);
        int outputHeight = grid.Dim(1), outputWidth = grid.Dim(2);
        var output = context.Output(0, ElementType.Float, [batchCount, channelCount, outputHeight, outputWidth]);
        var source = x.Read<float>();
        var coordinates = grid.Read<float>();
        var target = output.Write<float>();
        var planeSize = height * width;
        var outputPlaneSize = outputHeight * outputWidth;
        for (var n = 0; n < batchCount; n++)
        {
            for (var p = 0; p < outputPlaneSize; p++)
            {
                var g = (n * outputPlaneSize + p) * 2;
                var column = Unnormalize(coordinates[g], width);
                var row = Unnormalize(coordinates[g + 1], height);
                for (var c = 0; c < channelCount; c++)
                {
                    var image = source.Slice((n * channelCount + c) * planeSize, planeSize);
                    target[(n * channelCount + c) * outputPlaneSize + p] = (float)Sample(image, height, width, row, column);
                }
            }
        }
    }

    double Sample(ReadOnlySpan<float> image, int height, int width, double row, double column)
    {
        if (mode == GridSampleMode.Cubic)
            return SampleCubic(image, height, width, row, column);
        row = Pad(row, height);
        column = Pad(column, width);
        if (mode == GridSampleMode.Nearest)
            return Pixel(image, height, width, (int)Math.Round(row, MidpointRounding.ToEven), (int)Math.Round(column, MidpointRounding.ToEven));
        var top = (int)Math.Floor(row);
        var left = (int)Math.Floor(column);
        var dy = row - top;
        var dx = column - left;
        return Pixel(image, height, width, top, left) * (1 - dy) * (1 - dx)
            + Pixel(image, height, width, top, left + 1) * (1 - dy) * dx
            + Pixel(image, height, width, top + 1, left) * dy * (1 - dx)
            + Pixel(image, height, width, top + 1, left + 1) * dy * dx;
    }

    double SampleCubic(ReadOnlySpan<float> image, int height, int width, double row, double column)
    {
        var top = (int)Math.Floor(row);
        var left = (int)Math.Floor(column);
        Span<double> rowWeights = stackalloc double[4];
        Span<double> columnWeights = stackalloc double[4];
        CubicWeights(row - top, rowWeights);
        CubicWeights(column - left, columnWeights);
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var r = (int)Pad(top - 1 + i, height);
            for (var j = 0; j < 4; j++)
                sum += rowWeights[i] * columnWeights[j] * Pixel(image, height, width, r, (int)Pad(left - 1 + j, width));
        }
        return sum;
    }

    /// <summary>Keys' kernel weights of the taps at offsets −1, 0, 1, 2 from the floor, for fraction <paramref name="t"/>.</summary>
    static void CubicWeights(double t, Span<double> weights)
    {
        static double Near(double x) => ((CubicA + 2) * x - (CubicA + 3)) * x * x + 1;
        static double Far(double x) => ((CubicA * x - 5 * CubicA) * x + 8 * CubicA) * x - 4 * CubicA;
        weights[0] = Far(t + 1);
        weights[1] = Near(t);
        weights[2] = Near(1 - t);
        weights[3] = Far(2 - t);
    }

    double Unnormalize(float normalized, int size) => alignCorners
        ? (normalized + 1) / 2.0 * (size - 1)
        : ((normalized + 1) * size - 1) / 2.0;

    /// <summary>The coordinate after border or reflection padding; zeros padding leaves it (out-of-image reads give 0).</summary>
    double Pad(double coordinate, int size) => padding switch
    {
        GridSamplePadding.Border => Math.Clamp(coordinate, 0, size - 1),
        GridSamplePadding.Reflection => Math.Clamp(alignCorners ? Reflect(coordinate, 0, size - 1) : Reflect(coordinate, -0.5, size - 0.5), 0, size - 1),
        _ => coordinate,
    };

    static double Reflect(double coordinate, double low, double high)
    {
        var span = high - low;
        if (span <= 0)
            return 0;
        var distance = Math.Abs(coordinate - low);
        var flips = Math.Floor(distance / span);
        var extra = distance - flips * span;
        return flips % 2 == 0 ? low + extra : high - extra;
    }

    static double Pixel(ReadOnlySpan<float> image, int height, int width, int row, int column) =>
        row >= 0 && row < height && column >= 0 && column < width ? image[row * width + column] : 0;
}
