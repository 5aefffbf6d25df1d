namespace Verify.Protocols.ContextTracking;

/// <summary>The context-tracking deferral properties, each checked by its own monitor (Monitors/).</summary>
public enum Property
{
    /// <summary>P-CT-S1: outside the entry danger zone, the isolated CPU never executes a site whose patch a sender finished syncing (IPI or deferral) while its view is older.</summary>
    NoStaleText,

    /// <summary>P-CT-S2: only a successful cmpxchg orders: the text and PTE stores a sender made before a deferral are visible to the flush that handles it.</summary>
    Ordering,

    /// <summary>P-CT-S3: no lost work: exit clears only work bits that an entry has flushed.</summary>
    NoLostWork,

    /// <summary>P-CT-S4: entry code before ct_work_flush() never executes a site patched without an IPI to it.</summary>
    DangerZone,

    /// <summary>P-CT-S5: a CPU never uses a kernel translation that a finished kernel-range flush should have removed.</summary>
    NoStaleTranslation,

    /// <summary>P-CT-L1: an isolated CPU that stays in user space receives no deferrable IPI.</summary>
    NoNoise,

    /// <summary>P-CT-L2: a setter's cmpxchg loop makes at most two attempts per change of the word under it, plus two.</summary>
    BoundedRetry,

    /// <summary>P-CT-L3: each kernel entry and exit makes one atomic read-modify-write of context-tracking state, as without deferral.</summary>
    EntryAtomics,
}

internal static class PropertyScope
{
    /// <summary>Whether the property says anything about the scenario.</summary>
    internal static bool AppliesTo(this Property p, Scenario s) => p switch
    {
        Property.NoStaleText or Property.DangerZone => s.Sender is Sender.TextPatch or Sender.NoinstrPatch,
        Property.Ordering => s.Sender is Sender.TextPatch or Sender.RangeFlush,
        Property.NoStaleTranslation => s.Sender is Sender.RangeFlush or Sender.PageTableFree,
        Property.NoNoise => s.Activity is Activity.User or Activity.Idle,
        _ => true,
    };
}
