namespace OnnxFuse.Engine.Profiling;

/// <summary>
/// One node's share of a <see cref="NodeProfile"/>. <paramref name="Shapes"/> lists the input shapes of its first
/// call and its first output's shape ("f32[1,32,112,112] f32[32,1,3,3] → f32[1,32,112,112]").
/// <paramref name="ContainsSubgraphs"/> marks control-flow nodes, whose time includes the nodes of their bodies.
/// </summary>
public sealed record NodeTiming(string Node, string OpType, string Shapes, bool ContainsSubgraphs, long Calls, TimeSpan Total, TimeSpan Fastest)
{
    public TimeSpan Mean => Calls == 0 ? TimeSpan.Zero : Total / Calls;
}
