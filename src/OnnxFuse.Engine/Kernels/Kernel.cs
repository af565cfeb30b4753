namespace OnnxFuse.Engine.Kernels;

/// <summary>
/// One node's computation, created once at plan time (where it may precompute from attributes and constant
/// inputs) and run many times. <see cref="Run"/> reads its inputs from the context, computes output shapes,
/// allocates outputs through the context and writes them; it must not allocate on the steady-state path.
/// </summary>
abstract class Kernel
{
    public abstract void Run(KernelContext context);
}
