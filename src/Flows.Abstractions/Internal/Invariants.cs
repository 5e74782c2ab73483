using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Flows.Internal;

/// <summary>
/// Checks of what the runtime's concurrent code relies on (counts never negative, no more items in flight than the
/// degree, every item ended exactly once, a pooled object returned clean). They are compiled into Debug builds only:
/// every method is <c>[Conditional("DEBUG")]</c>, so in a Release build the calls, and the evaluation of their
/// arguments, disappear. A failed check is a bug in Flows, whatever the user code did.
/// </summary>
/// <remarks>
/// Pass only values already computed: an argument with a side effect (an <see cref="Interlocked"/> call) would not run
/// in a Release build. What a check needs to remember about a loop (items in flight, items ended) is kept here, beside
/// the loop, so that a Release loop carries no field for it.
/// </remarks>
internal static class Invariants
{
#if DEBUG
    // Per foreach loop: its items in flight and the items that ended. Entries go with their loop.
    private static readonly ConditionalWeakTable<object, ItemLedger> s_ledgers = new();
#endif

    /// <summary>Checks <paramref name="condition"/>.</summary>
    [Conditional("DEBUG")]
    public static void That([DoesNotReturnIf(false)] bool condition, string message) => Debug.Assert(condition, message);

    /// <summary>Checks that a count is not negative.</summary>
    [Conditional("DEBUG")]
    public static void NotNegative(int value, string what) => Debug.Assert(value >= 0, $"{what} is negative: {value}.");

    /// <summary>Checks that <paramref name="value"/> is at most <paramref name="limit"/>.</summary>
    [Conditional("DEBUG")]
    public static void AtMost(int value, int limit, string what) => Debug.Assert(value <= limit, $"{what} is {value}, above {limit}.");

    /// <summary>
    /// A foreach item starts: it had not started before, and with a limit (<paramref name="degree"/> above 0) no more
    /// than that many items are now in flight.
    /// </summary>
    [Conditional("DEBUG")]
    public static void ItemStarted(object loop, int index, int degree)
    {
#if DEBUG
        s_ledgers.GetOrCreateValue(loop).Started(index, degree);
#endif
    }

    /// <summary>A foreach item ends, its result stored or its failure recorded: it was in flight, and ends only once.</summary>
    [Conditional("DEBUG")]
    public static void ItemEnded(object loop, int index)
    {
#if DEBUG
        s_ledgers.GetOrCreateValue(loop).Ended(index);
#endif
    }

    /// <summary>A batch of a foreach loop is over: no item is in flight.</summary>
    [Conditional("DEBUG")]
    public static void NoItemInFlight(object loop)
    {
#if DEBUG
        if (s_ledgers.TryGetValue(loop, out var ledger))
        {
            ledger.NoneInFlight();
        }
#endif
    }

    /// <summary>A foreach loop ran to its end, neither stopped nor cancelled: each of its <paramref name="count"/> items ended exactly once.</summary>
    [Conditional("DEBUG")]
    public static void EveryItemEndedOnce(object loop, int count)
    {
#if DEBUG
        if (s_ledgers.TryGetValue(loop, out var ledger))
        {
            ledger.EveryItemEndedOnce(count);
        }
        else
        {
            Debug.Assert(count == 0, $"None of the {count} items of a foreach loop started.");
        }
#endif
    }

#if DEBUG
    // Debug builds only: the items of one foreach loop, as they start and end.
    private sealed class ItemLedger
    {
        // Per item index: 0 not started, 1 in flight, 2 ended. Guarded by itself.
        private readonly List<byte> _states = new();
        private int _inFlight;

        public void Started(int index, int degree)
        {
            lock (_states)
            {
                while (_states.Count <= index)
                {
                    _states.Add(0);
                }

                Debug.Assert(_states[index] == 0, $"Foreach item {index} started twice.");
                _states[index] = 1;
                _inFlight++;
                Debug.Assert(degree <= 0 || _inFlight <= degree, $"{_inFlight} foreach items in flight, above the degree of {degree}.");
            }
        }

        public void Ended(int index)
        {
            lock (_states)
            {
                Debug.Assert(index < _states.Count && _states[index] == 1, $"Foreach item {index} ended without being in flight (twice, or before it started).");
                _states[index] = 2;
                _inFlight--;
                Debug.Assert(_inFlight >= 0, "A negative number of foreach items in flight.");
            }
        }

        public void NoneInFlight()
        {
            lock (_states)
            {
                Debug.Assert(_inFlight == 0, $"{_inFlight} foreach items still in flight after their batch.");
            }
        }

        public void EveryItemEndedOnce(int count)
        {
            lock (_states)
            {
                Debug.Assert(_states.Count == count, $"{_states.Count} foreach items started, of {count} taken.");
                for (var i = 0; i < _states.Count; i++)
                {
                    Debug.Assert(_states[i] == 2, $"Foreach item {i} did not end.");
                }
            }
        }
    }
#endif
}
