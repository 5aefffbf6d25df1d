namespace Verify.Harness;

internal static class Program
{
    private static int Main(string[] args) => (int)Cli.Run(args, Console.Out, Console.Error);
}
