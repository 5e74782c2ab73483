using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Flows.Analyzers.Concurrency;

/// <summary>What an access touches at its path.</summary>
internal enum Facet
{
    /// <summary>The field or property itself (FLOW002).</summary>
    Storage,

    /// <summary>The elements of the array at the path (FLOW002).</summary>
    Elements,

    /// <summary>The inside of a thread-unsafe object from the member table (FLOW003).</summary>
    Contents,
}

internal enum AccessKind
{
    Read,
    Write,

    /// <summary>Read, then written from what was read: <c>+=</c>, <c>++</c>, <c>??=</c>, <c>ref</c>.</summary>
    ReadWrite,
}

/// <summary>A lock held around an access: the path of the lock object, and whether it excludes other holders.</summary>
internal readonly struct LockRef : IEquatable<LockRef>
{
    public LockRef(AccessPath path, bool exclusive)
    {
        Path = path;
        Exclusive = exclusive;
    }

    public AccessPath Path { get; }

    /// <summary>False for the read side of a <c>ReaderWriterLockSlim</c>.</summary>
    public bool Exclusive { get; }

    public bool Equals(LockRef other) => Exclusive == other.Exclusive && Path.Equals(other.Path);

    public override bool Equals(object? obj) => obj is LockRef other && Equals(other);

    public override int GetHashCode() => Path.GetHashCode() ^ (Exclusive ? 1 : 0);
}

/// <summary>The key two accesses must share to race: a path and what at it they touch.</summary>
internal readonly struct AccessKey : IEquatable<AccessKey>
{
    public AccessKey(AccessPath path, Facet facet)
    {
        Path = path;
        Facet = facet;
    }

    public AccessPath Path { get; }

    public Facet Facet { get; }

    public bool Equals(AccessKey other) => Facet == other.Facet && Path.Equals(other.Path);

    public override bool Equals(object? obj) => obj is AccessKey other && Equals(other);

    public override int GetHashCode() => (Path.GetHashCode() * 3) + (int)Facet;
}

/// <summary>How an array element is indexed, for the "distinct elements per item" rule.</summary>
internal static class IndexSource
{
    /// <summary>Anything else.</summary>
    public const int Unknown = -2;

    /// <summary><c>context.Index</c> of a <c>StepContext</c>: distinct for every item of a foreach.</summary>
    public const int ItemIndex = -1;

    /// <summary>
    /// The foreach item itself, an integer (<c>squares[i] = i * i</c> over a list of indexes). Distinct items write
    /// distinct elements, but items may repeat, so only plain writes count as distinct, not <c>counts[i]++</c>.
    /// </summary>
    public const int ItemValue = -3;

    /// <summary>
    /// The value an <c>Interlocked.Increment</c>/<c>Decrement</c> returned (also shifted by a constant): no two calls
    /// get the same one, so writes at it are to distinct elements. Which counter it came from is not checked.
    /// </summary>
    public const int Claimed = -4;

    // A value of 0 or more is the ordinal of the method parameter the index comes from.

    /// <summary>Constant indices are kept as values at or below this one (<c>_slots[0]</c> is <c>ConstantBase</c>).</summary>
    private const int ConstantBase = -1000;

    /// <summary>The index of <c>a[k]</c> for a constant <paramref name="k"/> of 0 or more.</summary>
    public static int Constant(int k) => ConstantBase - k;

    /// <summary>Whether the index is a constant (two different constants name different elements).</summary>
    public static bool IsConstant(int index) => index <= ConstantBase;
}

/// <summary>One read or write of shared state, with what protected it.</summary>
internal sealed class Access
{
    public Access(
        AccessKey key,
        AccessKind kind,
        bool atomic,
        int index,
        ImmutableArray<LockRef> locks,
        Location location,
        string member,
        ObjectCategory category,
        string typeName,
        string? compoundOperator)
    {
        Key = key;
        Kind = kind;
        Atomic = atomic;
        Index = index;
        Locks = locks;
        Location = location;
        Member = member;
        Category = category;
        TypeName = typeName;
        CompoundOperator = compoundOperator;
    }

    public AccessKey Key { get; }

    public AccessKind Kind { get; }

    /// <summary>An <c>Interlocked</c>/<c>Volatile</c> operation, or a plain read or write of a <c>volatile</c> field.</summary>
    public bool Atomic { get; }

    /// <summary>For <see cref="Facet.Elements"/>: where the index comes from (<see cref="IndexSource"/>).</summary>
    public int Index { get; }

    public ImmutableArray<LockRef> Locks { get; }

    /// <summary>In the step's own body: the access itself, or the call that leads to it.</summary>
    public Location Location { get; }

    /// <summary>For <see cref="Facet.Contents"/>: the member used (<c>Add</c>, <c>DefaultRequestHeaders.Add</c>).</summary>
    public string Member { get; }

    public ObjectCategory Category { get; }

    /// <summary>For <see cref="Facet.Contents"/>: the object's type as the user wrote it (<c>List&lt;int&gt;</c>).</summary>
    public string TypeName { get; }

    /// <summary>For a numeric read-modify-write: <c>+</c>, <c>-</c>, <c>++</c>, <c>--</c>; used for the advice.</summary>
    public string? CompoundOperator { get; }

    /// <summary>Set once the access is placed in a workflow: the step it belongs to.</summary>
    public string? Step { get; private set; }

    public bool IsWrite => Kind != AccessKind.Read;

    public Access With(AccessKey key, int index, ImmutableArray<LockRef> locks, Location location) =>
        new(key, Kind, Atomic, index, locks, location, Member, Category, TypeName, CompoundOperator);

    public Access InStep(AccessKey key, int index, ImmutableArray<LockRef> locks, string step) =>
        new(key, Kind, Atomic, index, locks, Location, Member, Category, TypeName, CompoundOperator) { Step = step };
}

/// <summary>A call that blocks its thread until something else completes.</summary>
internal sealed class BlockingCall
{
    public BlockingCall(BlockingKind kind, Location location, string? via)
    {
        Kind = kind;
        Location = location;
        Via = via;
    }

    public BlockingKind Kind { get; }

    /// <summary>The blocking call itself, or the call in this method that leads to it.</summary>
    public Location Location { get; }

    /// <summary>The method called here that blocks (directly or further down), or null for a blocking call right here.</summary>
    public string? Via { get; }
}

/// <summary>What a method does to shared state, and where it blocks, in terms of its own <c>this</c>, parameters and statics.</summary>
internal sealed class MethodSummary
{
    public static readonly MethodSummary Empty = new(ImmutableArray<Access>.Empty, ImmutableArray<BlockingCall>.Empty);

    public MethodSummary(ImmutableArray<Access> accesses, ImmutableArray<BlockingCall> blockingCalls, ImmutableArray<LockRef> heldAtExit = default)
    {
        Accesses = accesses;
        BlockingCalls = blockingCalls;
        HeldAtExit = heldAtExit.IsDefault ? ImmutableArray<LockRef>.Empty : heldAtExit;
    }

    /// <summary>
    /// Locks the method acquires and still holds when it returns: a lock helper (<c>await gate.EnterAsync()</c> that
    /// returns a releaser). A <c>using</c> of its result holds them for the block.
    /// </summary>
    public ImmutableArray<LockRef> HeldAtExit { get; }

    public ImmutableArray<Access> Accesses { get; }

    public ImmutableArray<BlockingCall> BlockingCalls { get; }
}
