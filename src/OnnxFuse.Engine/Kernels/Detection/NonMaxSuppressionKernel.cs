using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Detection;

/// <summary>
/// NonMaxSuppression (float32): for each batch and class, the boxes whose score exceeds score_threshold, taken in
/// descending score order (ties: lower index first), each kept unless its IoU with an already kept box exceeds
/// iou_threshold, at most max_output_boxes_per_class (0 or omitted: none). Boxes [batches, boxes, 4] are two corners
/// (y1, x1, y2, x2) in either order, or (x_center, y_center, width, height) with <c>center_point_box</c>; scores
/// [batches, classes, boxes]. Output int64 [selected, 3] of (batch, class, box), batch-major then class then rank.
/// </summary>
sealed class NonMaxSuppressionKernel(bool centerPointBox) : Kernel
{
    public override void Run(KernelContext context)
    {
        var boxes = context.Input(0);
        var scores = context.Input(1);
        if (boxes.ElementType != ElementType.Float || scores.ElementType != ElementType.Float || boxes.Rank != 3 || boxes.Dim(2) != 4
            || scores.Rank != 3 || scores.Dim(0) != boxes.Dim(0) || scores.Dim(2) != boxes.Dim(1))
        {
            Throw.ShapeMismatch($"NonMaxSuppression needs float32 boxes [batches, boxes, 4] and scores [batches, classes, boxes], got {boxes} and {scores}");
        }
        var maxPerClass = context.OptionalInput(2) is { ElementCount: > 0 } max ? (long)IntTensors.ScalarAsDouble(max) : 0;
        var iouThreshold = context.OptionalInput(3) is { ElementCount: > 0 } iou ? (float)IntTensors.ScalarAsDouble(iou) : 0f;
        var scoreThreshold = context.OptionalInput(4) is { ElementCount: > 0 } score ? (float)IntTensors.ScalarAsDouble(score) : float.NegativeInfinity;
        var (batches, classes, boxCount) = (scores.Dim(0), scores.Dim(1), scores.Dim(2));
        var corners = Corners(boxes.Read<float>(), boxes.ElementCount);
        var selected = new List<(int Batch, int Class, int Box)>();
        var order = new int[boxCount];
        var kept = new List<int>();
        var allScores = scores.Read<float>();
        for (var b = 0; b < batches; b++)
        {
            for (var c = 0; c < classes; c++)
            {
                var classScores = allScores.Slice((b * classes + c) * boxCount, boxCount).ToArray();
                var candidates = 0;
                for (var i = 0; i < boxCount; i++)
                    if (classScores[i] > scoreThreshold)
                        order[candidates++] = i;
                Array.Sort(order, 0, candidates, Comparer<int>.Create((x, y) =>
                    classScores[y].CompareTo(classScores[x]) is var byScore and not 0 ? byScore : x.CompareTo(y)));
                kept.Clear();
                for (var i = 0; i < candidates && kept.Count < maxPerClass; i++)
                {
                    var box = b * boxCount + order[i];
                    if (kept.TrueForAll(k => IntersectionOverUnion(corners, k, box) <= iouThreshold))
                    {
                        kept.Add(box);
                        selected.Add((b, c, order[i]));
                    }
                }
            }
        }
        Span<int> dims = [selected.Count, 3];
        var output = context.Output(0, ElementType.Int64, dims).Write<long>();
        for (var i = 0; i < selected.Count; i++)
            (output[3 * i], output[3 * i + 1], output[3 * i + 2]) = (selected[i].Batch, selected[i].Class, selected[i].Box);
    }

    /// <summary>Every box as (ymin, xmin, ymax, xmax).</summary>
    float[] Corners(ReadOnlySpan<float> boxes, int length)
    {
        var corners = new float[length];
        for (var i = 0; i < length; i += 4)
        {
            var (a, b, c, d) = (boxes[i], boxes[i + 1], boxes[i + 2], boxes[i + 3]);
            if (centerPointBox)
                (corners[i], corners[i + 1], corners[i + 2], corners[i + 3]) = (b - d / 2, a - c / 2, b + d / 2, a + c / 2);
            else
                (corners[i], corners[i + 1], corners[i + 2], corners[i + 3]) = (MathF.Min(a, c), MathF.Min(b, d), MathF.Max(a, c), MathF.Max(b, d));
        }
        return corners;
    }

    static float IntersectionOverUnion(float[] corners, int first, int second)
    {
        var (p, q) = (4 * first, 4 * second);
        var height = MathF.Min(corners[p + 2], corners[q + 2]) - MathF.Max(corners[p], corners[q]);
        var width = MathF.Min(corners[p + 3], corners[q + 3]) - MathF.Max(corners[p + 1], corners[q + 1]);
        if (height <= 0 || width <= 0)
            return 0f;
        var intersection = height * width;
        var union = (corners[p + 2] - corners[p]) * (corners[p + 3] - corners[p + 1]) + (corners[q + 2] - corners[q]) * (corners[q + 3] - corners[q + 1])
            - intersection;
        return union <= 0 ? 0f : intersection / union;
    }
}
