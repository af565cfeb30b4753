using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Opsets;

/// <summary>
/// An operator whose definition changed at <paramref name="Version"/> of the default domain in a way that a node
/// written for an older opset would mean something else (or be invalid) under the newer one. <paramref name="Convert"/>
/// rewrites such a node in place to the new definition; null when OnnxFuse cannot convert it.
/// </summary>
sealed record OpsetChange(string OpType, long Version, Action<Node, ConversionContext>? Convert);
