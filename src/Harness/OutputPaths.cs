namespace Verify.Harness;

/// <summary>
/// Checks where a command will write before it does any work, so a wrong <c>-o</c> is a usage error
/// (exit 1) at once rather than an I/O failure after the whole run.
/// </summary>
internal static class OutputPaths
{
    /// <summary><paramref name="dir"/> must be a directory Verify can create and write files in.</summary>
    internal static string WritableDirectory(string dir, string option)
    {
        if (File.Exists(dir))
        {
            throw new UsageException($"{option} {dir} is a file; give a directory for the output (e.g. {option} verify-out).");
        }

        try
        {
            Directory.CreateDirectory(dir);
            string probe = Path.Combine(dir, ".verify-write-check-" + Environment.ProcessId);
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {dir}: cannot write there ({ex.Message}); give a directory you can write to.");
        }

        return dir;
    }

    /// <summary><paramref name="file"/> must be a file Verify can create or overwrite; it is left as it was.</summary>
    internal static string WritableFile(string file, string option)
    {
        if (Directory.Exists(file))
        {
            throw new UsageException($"{option} {file} is a directory; give the file to write.");
        }

        try
        {
            string? parent = Path.GetDirectoryName(Path.GetFullPath(file));
            if (parent is not null)
            {
                Directory.CreateDirectory(parent);
            }

            bool existed = File.Exists(file);
            using (new FileStream(file, FileMode.OpenOrCreate, FileAccess.Write))
            {
            }

            if (!existed)
            {
                File.Delete(file);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {file}: cannot write there ({ex.Message}); give a file you can write to.");
        }

        return file;
    }
}
