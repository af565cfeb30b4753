namespace OnnxFuse.Cli;

static class Program
{
    static int Main(string[] args) => args.Length == 0 ? 0 : 2;
}
