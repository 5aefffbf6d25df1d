using System.CommandLine;
using System.CommandLine.Parsing;

namespace Verify.Harness;

/// <summary>
/// The command line as System.CommandLine sees it, built from the one list of options each command
/// declares (<see cref="OptionSpec"/>): the parser of every command, `@file` response files, and
/// the `[suggest]` directive that shells' completion scripts (`dotnet-suggest`) call. Help text,
/// defaults and the command list are written from the same declarations (<see cref="Cli"/>).
/// </summary>
internal sealed class CommandLineDefinition
{
    private static readonly ParserConfiguration Configuration = new() { EnablePosixBundling = false };

    private static readonly Dictionary<string, CommandLineDefinition> Cache = new(StringComparer.Ordinal);

    private readonly List<(OptionSpec Spec, Option Option)> options = [];

    private readonly Argument<string[]> positionals = new("arguments") { Arity = ArgumentArity.ZeroOrMore };

    private CommandLineDefinition(string name, string description, IReadOnlyList<OptionSpec> specs)
    {
        Command = new Command(name, description) { positionals };
        foreach (OptionSpec spec in specs)
        {
            Option option = spec.TakesValue
                ? new Option<string[]>("--" + spec.Name, spec.Aliases)
                {
                    Description = spec.Help,
                    HelpName = spec.Value,
                    Arity = ArgumentArity.OneOrMore,
                    AllowMultipleArgumentsPerToken = false,
                }
                : new Option<bool>("--" + spec.Name, spec.Aliases) { Description = spec.Help, Arity = ArgumentArity.Zero };
            options.Add((spec, option));
            Command.Add(option);
        }
    }

    internal Command Command { get; }

    /// <summary>The options given (each with its values in order; null for a flag) and the positional arguments.</summary>
    internal sealed record Parsed(IReadOnlyList<(OptionSpec Spec, IReadOnlyList<string>? Values)> Options, IReadOnlyList<string> Positionals);

    internal static CommandLineDefinition For(string command, IReadOnlyList<OptionSpec> specs)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(command, out CommandLineDefinition? definition) || !definition.options.Select(o => o.Spec).SequenceEqual(specs))
            {
                Cache[command] = definition = new CommandLineDefinition(command, Cli.Find(command)?.Description ?? command, specs);
            }

            return definition;
        }
    }

    /// <summary>Parses one command's arguments (without the command name); a usage error names what was wrong.</summary>
    internal Parsed Parse(string[] args)
    {
        ParseResult result = Command.Parse(args, Configuration);
        if (result.Errors.Count > 0)
        {
            ParseError error = result.Errors[0];
            throw new UsageException($"{error.Message} Run `verify {Command.Name} --help` for the options.");
        }

        var given = new List<(OptionSpec, IReadOnlyList<string>?)>();
        foreach ((OptionSpec spec, Option option) in options)
        {
            if (result.GetResult(option) is not OptionResult r || r.Implicit)
            {
                continue;
            }

            given.Add((spec, spec.TakesValue ? result.GetValue((Option<string[]>)option) ?? [] : null));
        }

        return new Parsed(given, result.GetValue(positionals) ?? []);
    }

    /// <summary>
    /// The completions of a partial command line, as shells ask for them through dotnet-suggest
    /// (`verify [suggest] "verify te"`): command names, then a command's options. A leading word
    /// naming the program itself is skipped.
    /// </summary>
    internal static IEnumerable<string> Complete(string line)
    {
        var root = new RootCommand(Cli.Summary);
        foreach (Cli.CommandInfo info in Cli.Commands)
        {
            root.Add(For(info.Name, info.Specs).Command);
        }

        string text = line.TrimStart();
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        string first = space < 0 ? text : text[..space];
        if (Path.GetFileNameWithoutExtension(first).Equals("verify", StringComparison.OrdinalIgnoreCase))
        {
            text = space < 0 ? string.Empty : text[(space + 1)..];
        }

        return root.Parse(text, Configuration).GetCompletions(text.Length).Select(c => c.Label);
    }
}
