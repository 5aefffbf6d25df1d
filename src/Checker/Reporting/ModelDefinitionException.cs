namespace Verify;

/// <summary>The model itself is malformed (missing start state, unknown handler, bad signature).</summary>
public sealed class ModelDefinitionException : Exception
{
    public ModelDefinitionException(string message)
        : base(message)
    {
    }
}
