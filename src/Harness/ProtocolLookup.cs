using Verify.Protocols;

namespace Verify.Harness;

/// <summary>Finds a protocol by the name or slug a user typed; an unknown one lists the protocols there are.</summary>
internal static class ProtocolLookup
{
    internal static Protocol Find(IReadOnlyList<Protocol> protocols, string query, string command, Func<Protocol, bool>? eligible = null)
    {
        List<Protocol> known = protocols.Where(p => eligible is null || eligible(p)).ToList();
        Protocol? match = known.FirstOrDefault(p =>
            string.Equals(p.Name, query, StringComparison.OrdinalIgnoreCase) || string.Equals(p.Slug, query, StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            return match;
        }

        string list = known.Count == 0 ? "none" : string.Join(", ", known.Select(p => $"{p.Name} ({p.Slug})"));
        throw new UsageException($"`verify {command}` knows no protocol '{query}'. Known protocols: {list}.");
    }
}
