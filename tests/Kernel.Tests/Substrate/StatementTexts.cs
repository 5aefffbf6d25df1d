using Verify.Kernel.Machine;

namespace Kernel.Tests.Substrate;

/// <summary>Runs kernel code outside a search, for tests that read what it says.</summary>
internal static class StatementTexts
{
    /// <summary>Runs a statement sequence to its end, calls included; the statements' texts.</summary>
    internal static List<string> Of(IEnumerable<Stmt> code)
    {
        var texts = new List<string>();
        foreach (Stmt s in code)
        {
            if (s.Kind == StmtKind.Call)
            {
                texts.AddRange(Of(s.Callee!));
            }
            else
            {
                texts.Add(s.Text);
            }
        }

        return texts;
    }
}
