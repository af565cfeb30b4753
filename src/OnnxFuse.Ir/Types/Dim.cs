namespace OnnxFuse.Ir.Types;

/// <summary>
/// One dimension of a value's shape: a fixed size, a symbolic name (<c>batch</c>), or unknown (neither).
/// </summary>
public readonly record struct Dim(long? Value, string? Param, string? Denotation = null)
{
    public static Dim Unknown => default;

    public static Dim Of(long value) => new(value, null);

    public static Dim Symbol(string param) => new(null, param);

    public bool IsKnown => Value is not null;

    public bool IsSymbolic => Value is null && !string.IsNullOrEmpty(Param);

    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (IsSymbolic ? Param! : "?");

    public static implicit operator Dim(long value) => Of(value);
}
