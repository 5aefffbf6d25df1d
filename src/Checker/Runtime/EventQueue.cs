using Verify.Actors;

namespace Verify.Runtime;

/// <summary>One queued event with what its sender attached.</summary>
internal readonly record struct Envelope(Event Event, EventGroup? Group, SendOptions? Options, ActorId? Sender)
{
    internal bool MustHandle => Options?.MustHandle == true;
}

/// <summary>
/// An actor's inbox: FIFO, with removal from the middle for deferred events and receives.
/// An array with a moving head, so the common dequeue-from-front costs no copy.
/// </summary>
internal sealed class EventQueue
{
    private Envelope[] items = new Envelope[4];
    private int head;

    internal int Count { get; private set; }

    internal Envelope this[int i] => items[head + i];

    /// <summary>The queued envelopes, oldest first (valid until the queue changes).</summary>
    internal ReadOnlySpan<Envelope> Items => items.AsSpan(head, Count);

    /// <summary>Makes the queue hold <paramref name="from"/>, oldest first: a snapshot's copy written back.</summary>
    internal void Load(ReadOnlySpan<Envelope> from)
    {
        if (Count == 0 && from.Length == 0)
        {
            return;
        }

        Array.Clear(items, head, Count);
        if (items.Length < from.Length)
        {
            items = new Envelope[Math.Max(items.Length * 2, from.Length)];
        }

        from.CopyTo(items);
        head = 0;
        Count = from.Length;
    }

    internal void Enqueue(in Envelope e)
    {
        if (head + Count == items.Length)
        {
            if (head > 0 && Count < items.Length / 2)
            {
                Array.Copy(items, head, items, 0, Count);
                Array.Clear(items, Count, head);
            }
            else
            {
                var bigger = new Envelope[items.Length * 2];
                Array.Copy(items, head, bigger, 0, Count);
                items = bigger;
            }

            head = 0;
        }

        items[head + Count] = e;
        Count++;
    }

    internal Envelope RemoveAt(int i)
    {
        Envelope e = items[head + i];
        if (i == 0)
        {
            items[head] = default;
            head++;
        }
        else
        {
            Array.Copy(items, head + i + 1, items, head + i, Count - i - 1);
            items[head + Count - 1] = default;
        }

        Count--;
        if (Count == 0)
        {
            head = 0;
        }

        return e;
    }

    internal void Clear()
    {
        Array.Clear(items, head, Count);
        head = 0;
        Count = 0;
    }
}
