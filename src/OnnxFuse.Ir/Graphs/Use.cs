namespace OnnxFuse.Ir.Graphs;

/// <summary>One reading of a value: input <paramref name="InputIndex"/> of <paramref name="Node"/>.</summary>
public readonly record struct Use(Node Node, int InputIndex);
