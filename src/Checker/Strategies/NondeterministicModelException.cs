namespace Verify.Strategies;

/// <summary>The same decisions led to different choices: the model reads something the engine does not control.</summary>
public sealed class NondeterministicModelException : Exception
{
    public NondeterministicModelException(string message)
        : base(message)
    {
    }
}
