namespace OnnxFuse.Cli;

static class Program
{
    static int Main(string[] args) => OnnxFuseCli.Run(args, Console.Out, Console.Error);
}
