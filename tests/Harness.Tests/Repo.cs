namespace Verify.Harness.Tests;

/// <summary>The repository the tests run in: the directory above the test assembly that holds Verify.sln.</summary>
internal static class Repo
{
    internal static string Root { get; } = Find();

    private static string Find()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Verify.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Verify.sln not found above the test assembly.");
        }

        return root;
    }
}
