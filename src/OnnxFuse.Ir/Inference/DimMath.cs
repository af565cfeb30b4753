using System.Globalization;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference;

/// <summary>
/// Arithmetic and merging on <see cref="Dim"/>s. Known sizes compute exactly; a symbol combined with a number
/// becomes a symbolic expression (<c>batch*4</c>) so equal computations still compare equal; anything else is unknown.
/// </summary>
public static class DimMath
{
    public static Dim Add(Dim a, Dim b) =>
        a.IsKnown && b.IsKnown ? Dim.Of(a.Value!.Value + b.Value!.Value)
        : b.Value == 0 ? a
        : a.Value == 0 ? b
        : Symbolic(a, "+", b);

    public static Dim Subtract(Dim a, Dim b) =>
        a.IsKnown && b.IsKnown ? Dim.Of(a.Value!.Value - b.Value!.Value)
        : b.Value == 0 ? a
        : a.IsSymbolic && b.IsSymbolic && a.Param == b.Param ? Dim.Of(0)
        : Symbolic(a, "-", b);

    public static Dim Multiply(Dim a, Dim b) =>
        a.IsKnown && b.IsKnown ? Dim.Of(a.Value!.Value * b.Value!.Value)
        : a.Value == 0 || b.Value == 0 ? Dim.Of(0)
        : b.Value == 1 ? a
        : a.Value == 1 ? b
        : Symbolic(a, "*", b);

    /// <summary>Integer division rounding toward negative infinity (the rounding of sizes in shape formulas).</summary>
    public static Dim FloorDivide(Dim a, Dim b) =>
        a.IsKnown && b.IsKnown && b.Value != 0 ? Dim.Of(FloorDiv(a.Value!.Value, b.Value!.Value))
        : b.Value == 1 ? a
        : a.IsSymbolic && b.IsSymbolic && a.Param == b.Param ? Dim.Of(1)
        : Symbolic(a, "/", b);

    /// <summary>Product of dims (element count); unknown if any dim is unknown and none is zero.</summary>
    public static Dim Product(IEnumerable<Dim> dims) => dims.Aggregate(Dim.Of(1), Multiply);

    public static long FloorDiv(long a, long b)
    {
        var quotient = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? quotient - 1 : quotient;
    }

    public static long CeilDiv(long a, long b) => -FloorDiv(-a, b);

    /// <summary>True when both dims denote the same size for certain (same number or same symbol).</summary>
    public static bool SameSize(Dim a, Dim b) =>
        a.IsKnown ? a.Value == b.Value : a.IsSymbolic && b.IsSymbolic && a.Param == b.Param;

    /// <summary>
    /// Combines two descriptions of the same dim, keeping the more precise one: a number beats a symbol, a symbol
    /// beats unknown. Returns false when both are numbers and differ.
    /// </summary>
    public static bool TryMerge(Dim preferred, Dim other, out Dim merged)
    {
        if (preferred.IsKnown)
        {
            merged = preferred;
            return !other.IsKnown || other.Value == preferred.Value;
        }
        merged = other.IsKnown || (!preferred.IsSymbolic && other.IsSymbolic) ? other : preferred;
        return true;
    }

    /// <summary>Normalizes an axis in [-rank, rank) to [0, rank), or returns null when it is out of range.</summary>
    public static int? NormalizeAxis(long axis, int rank)
    {
        var normalized = axis < 0 ? axis + rank : axis;
        return normalized >= 0 && normalized < rank ? (int)normalized : null;
    }

    static Dim Symbolic(Dim a, string op, Dim b) =>
        (a.IsKnown || a.IsSymbolic) && (b.IsKnown || b.IsSymbolic)
            ? Dim.Symbol($"{Operand(a)}{op}{Operand(b)}")
            : Dim.Unknown;

    static string Operand(Dim d) =>
        d.IsKnown ? d.Value!.Value.ToString(CultureInfo.InvariantCulture)
        : d.Param!.Any(c => c is '+' or '-' or '*' or '/') ? $"({d.Param})" : d.Param!;
}
