namespace Flows.DurableTask.Internal;

/// <summary>
/// The random part of a retry delay, made replay-safe: a number computed from the orchestration instance, the step, the
/// item and the attempt, the same in every process, on every machine and on every replay. Different instances, steps,
/// items and attempts get numbers spread as a random draw's would be, which is what jitter is for.
/// </summary>
/// <remarks>
/// <see cref="string.GetHashCode()"/> is randomized per process and <see cref="Random"/> differs per call, so either would
/// make a replay schedule a timer the history does not hold. This is 64-bit FNV-1a over the UTF-16 code units, then the
/// SplitMix64 finalizer so that inputs differing in one character still land far apart.
/// </remarks>
internal static class DeterministicJitter
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>
    /// The factor a jittered delay is multiplied by: from 0.5 (included) to 1 (excluded), as the in-process runtime draws it.
    /// </summary>
    /// <param name="instanceId">The orchestration instance.</param>
    /// <param name="step">The step's name.</param>
    /// <param name="index">The item's position in a foreach; -1 elsewhere.</param>
    /// <param name="attempt">The attempt that failed, from 1.</param>
    public static double Factor(string instanceId, string step, int index, int attempt) =>
        0.5 + (Sample(instanceId, step, index, attempt) * 0.5);

    /// <summary>A number from 0 (included) to 1 (excluded), a function of its arguments alone.</summary>
    public static double Sample(string instanceId, string step, int index, int attempt)
    {
        var hash = OffsetBasis;
        hash = Add(hash, instanceId);
        hash = Add(hash, '\0');
        hash = Add(hash, step);
        hash = Add(hash, '\0');
        hash = Add(hash, index);
        hash = Add(hash, attempt);
        hash = Finalize(hash);

        // The top 53 bits, as a double in [0, 1).
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong Add(ulong hash, string text)
    {
        foreach (var c in text)
        {
            hash = Add(hash, c);
        }

        return hash;
    }

    private static ulong Add(ulong hash, char c)
    {
        hash = (hash ^ (byte)c) * Prime;
        return (hash ^ (byte)(c >> 8)) * Prime;
    }

    private static ulong Add(ulong hash, int value)
    {
        for (var shift = 0; shift < 32; shift += 8)
        {
            hash = (hash ^ (byte)(value >> shift)) * Prime;
        }

        return hash;
    }

    private static ulong Finalize(ulong hash)
    {
        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EB;
        return hash ^ (hash >> 31);
    }
}
