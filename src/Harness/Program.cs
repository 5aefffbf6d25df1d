namespace Verify.Harness;

internal static class Program
{
    private static int Main(string[] args)
    {
        Signals.Install(Console.Error);
        return (int)Cli.Run(args, Console.Out, Console.Error);
    }
}
