namespace Verify.Kernel.Memory.Litmus;

/// <summary>
/// The litmus shapes and what each mode allows, with the reason. The LKMM column follows the
/// kernel's model (tools/memory-model: linux-kernel.cat as herd7 runs it, explanation.txt, and the
/// results recorded in litmus-tests/ such as SB+fencembonceonces, MP+pooncerelease+poacquireonce,
/// LB+poacquireonce+pooncerelease, WRC+pooncerelease+fencermbonceonce+Once and
/// IRIW+fencembonceonces+OnceOnce); the other variants are read off the cat file's relations (smp_wmb()
/// and smp_rmb() order W->W and R->R only and are not strong fences; only strong fences give the
/// propagation axiom's pb). herd7 was not run for this table. x86-TSO follows Sewell et al.,
/// where smp_wmb(), smp_rmb(), release and acquire compile to plain moves. Plain accesses race,
/// which herd7 reports as a data race (undefined behaviour); the table gives what the ordering
/// alone would allow.
/// </summary>
public static class LitmusCatalog
{
    private const LitmusVariant Plain = LitmusVariant.Plain;
    private const LitmusVariant Once = LitmusVariant.Once;
    private const LitmusVariant WmbRmb = LitmusVariant.WmbRmb;
    private const LitmusVariant ReleaseAcquire = LitmusVariant.ReleaseAcquire;

    private const int X = 0;
    private const int Y = 1;

    /// <summary>Every shape in every variant, shape by shape.</summary>
    public static IReadOnlyList<LitmusTest> All { get; } =
        Shapes().SelectMany(s => Enum.GetValues<LitmusVariant>().Select(v => new LitmusTest(s, v))).ToArray();

    public static LitmusTest Find(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"No litmus test '{name}'. Tests: {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));

    private static IEnumerable<LitmusShape> Shapes()
    {
        yield return new LitmusShape(
            "SB",
            ["x", "y"],
            [[W(X, 1), R(Y, 0)], [W(Y, 1), R(X, 1)]],
            ["r0", "r1"],
            "00",
            TsoAllows: [Plain, Once, WmbRmb, ReleaseAcquire],
            LkmmAllows: [Plain, Once, WmbRmb, ReleaseAcquire],
            ModelAllows: [Plain, Once, WmbRmb, ReleaseAcquire],
            Reasons:
            [
                "each store may wait in a store buffer while the later load runs (x86), and the LKMM orders nothing; herd7 also flags the race",
                "READ_ONCE/WRITE_ONCE order nothing: store buffering shows on x86 and the LKMM allows it",
                "smp_mb() is a strong fence: mfence drains the store buffer on x86, and the LKMM's propagation rule forbids it",
                "smp_wmb() orders only stores and smp_rmb() only loads, so a store before a load stays unordered (both are compiler barriers on x86)",
                "release orders what precedes the store and acquire what follows the load; nothing orders a store before a later load",
            ]);

        yield return new LitmusShape(
            "MP",
            ["x", "y"],
            [[W(X, 1), W(Y, 1)], [R(Y, 0), R(X, 1)]],
            ["r0", "r1"],
            "10",
            TsoAllows: [],
            LkmmAllows: [Plain, Once],
            ModelAllows: [Plain, Once],
            Reasons:
            [
                "x86 keeps stores in order and loads in order; the LKMM lets both pairs reorder (and herd7 flags the race)",
                "x86 keeps W->W and R->R; the LKMM allows it, nothing orders the two stores or the two loads",
                "smp_mb() on both sides: forbidden everywhere",
                "the classic pairing: smp_wmb() orders the stores, smp_rmb() the loads: forbidden",
                "the release store carries x=1 to the acquire load that reads it: forbidden",
            ]);

        yield return new LitmusShape(
            "LB",
            ["x", "y"],
            [[R(X, 0), W(Y, 1)], [R(Y, 1), W(X, 1)]],
            ["r0", "r1"],
            "11",
            TsoAllows: [],
            LkmmAllows: [Plain, Once, WmbRmb],
            ModelAllows: [],
            Reasons:
            [
                "x86 never runs a store before an earlier load; the LKMM allows LB without a dependency, which this Lkmm mode cannot produce (it has no promises)",
                "as without ONCE: allowed by the LKMM, which this Lkmm mode cannot produce (no promises); x86 forbids it",
                "smp_mb() orders each load before the store: forbidden",
                "smp_rmb() after a load does not order it before a store: the LKMM allows it, x86 and this Lkmm mode (no promises) do not",
                "an acquire load is ordered before the later release store: forbidden",
            ]);

        yield return new LitmusShape(
            "WRC",
            ["x", "y"],
            [[W(X, 1)], [R(X, 0), W(Y, 1)], [R(Y, 1), R(X, 2)]],
            ["r0", "r1", "r2"],
            "110",
            TsoAllows: [],
            LkmmAllows: [Plain, Once, WmbRmb],
            ModelAllows: [Plain, Once, WmbRmb],
            Reasons:
            [
                "x86 is multicopy-atomic and keeps R->W; the LKMM lets cpu1's store reach cpu2 before cpu0's does",
                "as without ONCE: allowed by the LKMM, forbidden on x86",
                "smp_mb() in cpu1 is A-cumulative and orders cpu2's loads: forbidden",
                "cpu1's smp_rmb() sits between a load and a store and orders nothing there: the LKMM allows it, x86 does not",
                "release is A-cumulative: cpu1's release passes the x=1 it read to cpu2's acquire: forbidden",
            ]);

        yield return new LitmusShape(
            "IRIW",
            ["x", "y"],
            [[W(X, 1)], [W(Y, 1)], [R(X, 0), R(Y, 1)], [R(Y, 2), R(X, 3)]],
            ["r0", "r1", "r2", "r3"],
            "1010",
            TsoAllows: [],
            LkmmAllows: [Plain, Once, WmbRmb, ReleaseAcquire],
            ModelAllows: [Plain, Once, WmbRmb, ReleaseAcquire],
            Reasons:
            [
                "the LKMM is not multicopy-atomic: two readers may see two independent stores in opposite orders; x86 is",
                "as without ONCE: allowed by the LKMM, forbidden on x86",
                "smp_mb() between each reader's loads makes the readers agree (strong fences are totally ordered): forbidden",
                "smp_rmb() orders each reader's loads but only a strong fence makes readers agree: allowed by the LKMM",
                "acquire orders each reader's loads but only a strong fence makes readers agree: allowed by the LKMM",
            ]);

        yield return new LitmusShape(
            "2+2W",
            ["x", "y"],
            [[W(X, 1), W(Y, 2)], [W(Y, 1), W(X, 2)]],
            ["x", "y"],
            "11",
            TsoAllows: [],
            LkmmAllows: [Plain, Once, WmbRmb, ReleaseAcquire],
            ModelAllows: [Plain, Once, WmbRmb, ReleaseAcquire],
            Reasons:
            [
                "unordered, each CPU's second store may come before the other's first in coherence order; x86 drains each store buffer in order",
                "as without ONCE: allowed by the LKMM, forbidden on x86",
                "smp_mb() between the stores: forbidden",
                "smp_wmb() orders one CPU's stores but is not a strong fence, and without one the LKMM has no propagation cycle: allowed",
                "the second store is a release, which orders the first before it but is not strong: allowed by the LKMM, as with smp_wmb()",
            ]);
    }

    private static LitmusOp R(int location, int register) => new(LitmusInstruction.Read, location, Name(location), 0, register);

    private static LitmusOp W(int location, int value) => new(LitmusInstruction.Write, location, Name(location), value, -1);

    private static string Name(int location) => location == X ? "x" : "y";
}
