namespace OnnxFuse.Engine.Kernels;

/// <summary>Creates the kernel for one node from its attributes, constant inputs and input types.</summary>
delegate Kernel KernelFactory(KernelCreateInfo info);
