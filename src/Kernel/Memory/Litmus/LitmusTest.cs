namespace Verify.Kernel.Memory.Litmus;

/// <summary>
/// A litmus shape in one variant (e.g. MP+wmb+rmb): the threads' statements, the outcomes observed
/// (registers, or final values of locations), and the outcome set each memory mode must reach.
/// Outcomes are written as the observed values in order, one digit each ("01" is r0=0 r1=1).
/// </summary>
public sealed class LitmusTest
{
    internal LitmusTest(LitmusShape shape, LitmusVariant variant)
    {
        Shape = shape;
        Variant = variant;
        Threads = shape.Threads.Select(t => Expand(t, variant)).ToArray();
    }

    public string Name => Shape.Name + Variant switch
    {
        LitmusVariant.Plain => string.Empty,
        LitmusVariant.Once => "+once",
        LitmusVariant.Mb => "+mb",
        LitmusVariant.WmbRmb => "+wmb+rmb",
        _ => "+release+acquire",
    };

    public LitmusVariant Variant { get; }

    /// <summary>What an outcome's digits are: registers (r0, r1, ...) or locations' final values.</summary>
    public IReadOnlyList<string> Observed => Shape.Observed;

    /// <summary>The outcome sequential consistency forbids.</summary>
    public string Weak => Shape.Weak;

    /// <summary>Why each mode allows or forbids <see cref="Weak"/> in this variant.</summary>
    public string Reason => Shape.Reasons[(int)Variant];

    internal LitmusShape Shape { get; }

    internal LitmusOp[][] Threads { get; }

    /// <summary>Whether the LKMM (linux-kernel.cat) allows the weak outcome; this mode may differ (see README.md).</summary>
    public bool LkmmAllowsWeak => Shape.LkmmAllows.Contains(Variant);

    /// <summary>
    /// The outcomes <paramref name="mode"/> must reach: under SC every combination of the values the
    /// loads and stores can see but the weak one (the SC run checks that they are all reachable),
    /// and the weak one too where the mode allows it.
    /// </summary>
    public IReadOnlySet<string> Expected(MemoryMode mode)
    {
        bool weak = mode switch
        {
            MemoryMode.Sc => false,
            MemoryMode.Tso => Shape.TsoAllows.Contains(Variant),
            _ => Shape.ModelAllows.Contains(Variant),
        };
        var set = new SortedSet<string>(Universe(), StringComparer.Ordinal);
        if (!weak)
        {
            set.Remove(Weak);
        }

        return set;
    }

    /// <summary>Every combination of the values each observed register or location could end with.</summary>
    private IEnumerable<string> Universe()
    {
        IEnumerable<string> outcomes = [string.Empty];
        foreach (string key in Observed)
        {
            int[] values = ValuesOf(key);
            outcomes = outcomes.SelectMany(o => values.Select(v => o + v.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        }

        return outcomes;
    }

    private int[] ValuesOf(string key)
    {
        LitmusOp[] all = Shape.Threads.SelectMany(t => t).ToArray();
        LitmusOp? load = all.FirstOrDefault(o => o.IsLoad && $"r{o.Register}" == key);
        string location = load?.LocationName ?? key;
        IEnumerable<int> stored = all.Where(o => o.IsStore && o.LocationName == location).Select(o => o.Value);
        return (load is null ? stored : stored.Prepend(0)).Distinct().Order().ToArray();
    }

    private static LitmusOp[] Expand(LitmusOp[] thread, LitmusVariant variant)
    {
        var ops = new List<LitmusOp>();
        for (int i = 0; i < thread.Length; i++)
        {
            LitmusOp op = thread[i];
            if (i > 0 && variant == LitmusVariant.Mb)
            {
                ops.Add(LitmusOp.Fence(LitmusInstruction.Mb));
            }
            else if (i > 0 && variant == LitmusVariant.WmbRmb)
            {
                ops.Add(LitmusOp.Fence(thread[i - 1].IsStore ? LitmusInstruction.Wmb : LitmusInstruction.Rmb));
            }

            ops.Add(variant switch
            {
                LitmusVariant.Plain => op,
                LitmusVariant.ReleaseAcquire => op.As(op.IsLoad ? LitmusInstruction.LoadAcquire : LitmusInstruction.StoreRelease),
                _ => op.As(op.IsLoad ? LitmusInstruction.ReadOnce : LitmusInstruction.WriteOnce),
            });
        }

        return ops.ToArray();
    }

    public override string ToString() => Name;
}
