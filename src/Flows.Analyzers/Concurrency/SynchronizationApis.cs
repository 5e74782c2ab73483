using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Flows.Analyzers.Concurrency;

/// <summary>What a call does to a lock (<see cref="SynchronizationApis.Locks"/>).</summary>
internal enum LockRole
{
    /// <summary>Acquires the lock when it returns (<c>Monitor.Enter(x)</c>, <c>EnterWriteLock()</c>); only as a statement.</summary>
    Enter,

    /// <summary>
    /// Returns whether it acquired the lock (<c>Monitor.TryEnter(x, 100)</c>): held where that answer is known to be
    /// true (the true branch of an <c>if</c>, or after <c>if (!…) return;</c>). Ignoring the answer takes no lock.
    /// </summary>
    TryEnter,

    /// <summary>
    /// Reports through a <c>ref bool lockTaken</c> whether it acquired the lock (<c>Monitor.TryEnter(x, t, ref taken)</c>):
    /// as a statement it counts as held, the <c>finally { if (taken) Exit(x); }</c> shape being the documented use.
    /// </summary>
    EnterWithFlag,

    /// <summary>Releases the lock.</summary>
    Exit,
}

/// <summary>One lock API: a method of a type, its role and whether the lock excludes other holders of the same kind.</summary>
internal readonly record struct LockApi(string Type, string Method, LockRole Role, bool Exclusive = true, bool Static = false);

/// <summary>
/// What the race analysis knows about synchronization APIs, as data: which calls publish through a <c>ref</c>
/// argument atomically, which acquire and release locks, and which attributes make storage per thread or a method
/// a lock. The walker asks; it holds no API names of its own.
/// </summary>
internal static class SynchronizationApis
{
    /// <summary>
    /// Types whose every <c>ref</c> argument is an atomic, thread-safe access: <c>Interlocked</c> and <c>Volatile</c>;
    /// the publication helpers built on <c>Interlocked.CompareExchange</c> (<c>LazyInitializer.EnsureInitialized</c>,
    /// <c>ImmutableInterlocked.Update</c>/<c>AddOrUpdate</c>/<c>GetOrAdd</c>/<c>Push</c>/<c>Enqueue</c>/…), correct by
    /// construction whoever else calls them at the same time.
    /// </summary>
    public static readonly ImmutableArray<string> AtomicRefTypes = ImmutableArray.Create(
        "System.Threading.Interlocked",
        "System.Threading.Volatile",
        "System.Threading.LazyInitializer",
        "System.Collections.Immutable.ImmutableInterlocked");

    /// <summary>Methods of <see cref="AtomicRefTypes"/> that only read through their <c>ref</c> argument.</summary>
    public static readonly ImmutableHashSet<string> AtomicReads = ImmutableHashSet.Create(StringComparer.Ordinal, "Read");

    /// <summary>Methods of <see cref="AtomicRefTypes"/> that only write through their <c>ref</c> argument.</summary>
    public static readonly ImmutableHashSet<string> AtomicWrites = ImmutableHashSet.Create(StringComparer.Ordinal, "Write");

    /// <summary>Lock APIs whose object is the first argument (<c>Monitor</c>) or the receiver (the others).</summary>
    public static readonly ImmutableArray<LockApi> Locks = ImmutableArray.Create(
        new LockApi("System.Threading.Monitor", "Enter", LockRole.Enter, Static: true),
        new LockApi("System.Threading.Monitor", "TryEnter", LockRole.TryEnter, Static: true),
        new LockApi("System.Threading.Monitor", "Exit", LockRole.Exit, Static: true),
        new LockApi("System.Threading.Lock", "Enter", LockRole.Enter),
        new LockApi("System.Threading.Lock", "TryEnter", LockRole.TryEnter),
        new LockApi("System.Threading.Lock", "Exit", LockRole.Exit),
        new LockApi("System.Threading.ReaderWriterLockSlim", "EnterWriteLock", LockRole.Enter),
        new LockApi("System.Threading.ReaderWriterLockSlim", "EnterUpgradeableReadLock", LockRole.Enter),
        new LockApi("System.Threading.ReaderWriterLockSlim", "EnterReadLock", LockRole.Enter, Exclusive: false),
        new LockApi("System.Threading.ReaderWriterLockSlim", "TryEnterWriteLock", LockRole.TryEnter),
        new LockApi("System.Threading.ReaderWriterLockSlim", "TryEnterUpgradeableReadLock", LockRole.TryEnter),
        new LockApi("System.Threading.ReaderWriterLockSlim", "TryEnterReadLock", LockRole.TryEnter, Exclusive: false),
        new LockApi("System.Threading.ReaderWriterLockSlim", "ExitWriteLock", LockRole.Exit),
        new LockApi("System.Threading.ReaderWriterLockSlim", "ExitUpgradeableReadLock", LockRole.Exit),
        new LockApi("System.Threading.ReaderWriterLockSlim", "ExitReadLock", LockRole.Exit));

    /// <summary>A static field with this attribute has one value per thread.</summary>
    public const string ThreadStaticAttribute = "System.ThreadStaticAttribute";

    /// <summary>
    /// A method with this attribute and <c>MethodImplOptions.Synchronized</c> (<see cref="SynchronizedOption"/>) runs
    /// under <c>lock (this)</c>, or <c>lock (typeof(T))</c> when static.
    /// </summary>
    public const string MethodImplAttribute = "System.Runtime.CompilerServices.MethodImplAttribute";

    /// <summary>The value of <c>MethodImplOptions.Synchronized</c>.</summary>
    public const int SynchronizedOption = 0x20;

    /// <summary>The lock APIs resolved against one compilation, by method name.</summary>
    public static ImmutableDictionary<(INamedTypeSymbol Type, string Method), LockApi> ResolveLocks(Compilation compilation)
    {
        var builder = ImmutableDictionary.CreateBuilder<(INamedTypeSymbol, string), LockApi>(new TypeAndName());
        foreach (var api in Locks)
        {
            if (compilation.GetTypeByMetadataName(api.Type) is { } type)
            {
                builder[(type, api.Method)] = api;
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>The types of <see cref="AtomicRefTypes"/> present in one compilation.</summary>
    public static ImmutableHashSet<INamedTypeSymbol> ResolveAtomicRefTypes(Compilation compilation)
    {
        var builder = ImmutableHashSet.CreateBuilder<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var name in AtomicRefTypes)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder.Add(type);
            }
        }

        return builder.ToImmutable();
    }
}

/// <summary>Compares (type, member name) keys of the API tables: the type by symbol, the name ordinally.</summary>
internal sealed class TypeAndName : IEqualityComparer<(INamedTypeSymbol Type, string Method)>
{
    public bool Equals((INamedTypeSymbol Type, string Method) x, (INamedTypeSymbol Type, string Method) y) =>
        SymbolEqualityComparer.Default.Equals(x.Type, y.Type) && string.Equals(x.Method, y.Method, StringComparison.Ordinal);

    public int GetHashCode((INamedTypeSymbol Type, string Method) obj) =>
        (SymbolEqualityComparer.Default.GetHashCode(obj.Type) * 31) + StringComparer.Ordinal.GetHashCode(obj.Method);
}
