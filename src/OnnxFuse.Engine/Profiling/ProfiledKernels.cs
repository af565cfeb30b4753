using OnnxFuse.Engine.Kernels;

namespace OnnxFuse.Engine.Profiling;

/// <summary>Wraps every factory of a registry so that each kernel it creates reports to one <see cref="NodeProfile"/>.</summary>
static class ProfiledKernels
{
    public static KernelRegistry Wrap(KernelRegistry registry, NodeProfile profile) =>
        registry.Select(factory => info =>
            new ProfiledKernel(factory(info), profile.Add(info.NodeDescription, info.OpType, info.Subplans.Count > 0)));
}
