using Checker.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Verify.Actors;
using Verify.Runtime;
using Xunit;

namespace Checker.Tests.Runtime;

public sealed class EventQueueTests
{
    [Fact]
    public void EventQueue_BehavesLikeAList_UnderAnySequenceOfEnqueuesRemovalsAndClears()
    {
        // An operation is (kind, argument): 0..5 enqueue, 6..8 remove at argument % count, 9 clear.
        Gen<(int Kind, int Arg)> op = Gen.Choose(0, 9).Zip(Gen.Choose(0, 1000));
        Properties.Check(op.ListOf().ToArbitrary(), ops =>
        {
            var queue = new EventQueue();
            var model = new List<Numbered>();
            int next = 0;
            foreach ((int kind, int arg) in ops)
            {
                if (kind <= 5)
                {
                    var e = new Numbered("q", next++);
                    queue.Enqueue(new Envelope(e, null, null, null));
                    model.Add(e);
                }
                else if (kind <= 8 && model.Count > 0)
                {
                    int i = arg % model.Count;
                    if (!ReferenceEquals(queue.RemoveAt(i).Event, model[i]))
                    {
                        return false;
                    }

                    model.RemoveAt(i);
                }
                else if (kind == 9)
                {
                    queue.Clear();
                    model.Clear();
                }

                if (queue.Count != model.Count || Enumerable.Range(0, model.Count).Any(i => !ReferenceEquals(queue[i].Event, model[i])))
                {
                    return false;
                }
            }

            return true;
        });
    }
}
