using System.Globalization;

namespace OnnxFuse.Compose;

/// <summary>
/// Byte counts as people write them: <c>512</c>, <c>64MB</c>, <c>1.5GiB</c>. KB/MB/GB/TB are powers of 1000 and
/// KiB/MiB/GiB/TiB powers of 1024; the unit is case-insensitive and may follow a space.
/// </summary>
public static class ByteSize
{
    static readonly (string Unit, long Factor)[] s_units =
    [
        ("TIB", 1L << 40), ("GIB", 1L << 30), ("MIB", 1L << 20), ("KIB", 1L << 10),
        ("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1),
    ];

    /// <summary>Parses <paramref name="text"/>; false when it is not a non-negative size.</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var trimmed = text.Trim().ToUpperInvariant();
        long factor = 1;
        foreach (var (unit, unitFactor) in s_units)
        {
            if (trimmed.EndsWith(unit, StringComparison.Ordinal))
            {
                trimmed = trimmed[..^unit.Length].TrimEnd();
                factor = unitFactor;
                break;
            }
        }
        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0 || double.IsInfinity(number))
            return false;
        var total = number * factor;
        if (total > long.MaxValue)
            return false;
        bytes = (long)Math.Round(total);
        return true;
    }

    /// <summary>"1.50 MiB", "312 B": binary units, two decimals above a KiB.</summary>
    public static string Format(long bytes)
    {
        if (bytes < 1024)
            return $"{bytes} B";
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        var value = bytes / 1024.0;
        var i = 0;
        while (value >= 1024 && i < units.Length - 1)
        {
            value /= 1024;
            i++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.00} {units[i]}");
    }
}
