namespace Verify.Runtime;

// State machines and monitors declare states with attribute classes of their own (nested, as in
// Coyote, so `[OnEntry]` resolves inside either kind of class); these interfaces let one builder read both.
internal interface IStartAttribute
{
}

internal interface IHotAttribute
{
}

internal interface IColdAttribute
{
}

internal interface IEntryAttribute
{
    string Action { get; }
}

internal interface IExitAttribute
{
    string Action { get; }
}

internal interface IGotoAttribute
{
    Type Event { get; }

    Type State { get; }

    string? Action { get; }
}

internal interface IPushAttribute
{
    Type Event { get; }

    Type State { get; }
}

internal interface IDoAttribute
{
    Type Event { get; }

    string Action { get; }
}

internal interface IDeferAttribute
{
    Type[] Events { get; }
}

internal interface IIgnoreAttribute
{
    Type[] Events { get; }
}
