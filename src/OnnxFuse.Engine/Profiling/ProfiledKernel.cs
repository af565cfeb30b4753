using System.Diagnostics;
using System.Text;
using OnnxFuse.Engine.Kernels;

namespace OnnxFuse.Engine.Profiling;

/// <summary>Runs a node's kernel and adds the elapsed time to the node's counter.</summary>
sealed class ProfiledKernel(Kernel inner, NodeCounter counter) : Kernel
{
    public override void Run(KernelContext context)
    {
        var start = Stopwatch.GetTimestamp();
        inner.Run(context);
        counter.Record(Stopwatch.GetTimestamp() - start);
        if (counter.NeedsShapes)
            counter.RecordShapes(DescribeShapes(context));
    }

    static string DescribeShapes(KernelContext context)
    {
        var text = new StringBuilder();
        for (var i = 0; i < context.InputCount; i++)
        {
            if (context.OptionalInput(i) is { IsBound: true } input)
                text.Append(input).Append(' ');
        }
        text.Append('→');
        if (context.WrittenOutput(0) is { IsBound: true } output)
            text.Append(' ').Append(output);
        return text.ToString();
    }
}
