namespace OnnxFuse.Engine.Tests;

/// <summary>Seeded inputs for kernel tests.</summary>
static class TestData
{
    public static float[] Uniform(int length, float min, float max, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
            values[i] = (float)(min + (max - min) * random.NextDouble());
        return values;
    }

    public static IEnumerable<int> TailLengths => Enumerable.Range(0, 71).Concat([255, 256, 257, 4099]);
}
