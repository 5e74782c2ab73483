using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Flows.Analyzers.Concurrency;

/// <summary>The kinds of thread-unsafe object FLOW003 knows, which decide the advice it gives.</summary>
internal enum ObjectCategory
{
    /// <summary>Not a table object: plain fields, properties and array elements (FLOW002).</summary>
    None,
    Collection,
    StringBuilder,
    Random,
    HttpClient,
    DbContext,
}

/// <summary>How the members of one thread-unsafe type touch the object: which read it, which change it.</summary>
internal sealed class TypeRule
{
    public TypeRule(ObjectCategory category, string[] writes, string[]? reads = null, bool everyUseIsWrite = false)
    {
        Category = category;
        Writes = ImmutableHashSet.Create(StringComparer.Ordinal, writes);
        Reads = reads is null ? null : ImmutableHashSet.Create(StringComparer.Ordinal, reads);
        EveryUseIsWrite = everyUseIsWrite;
    }

    public ObjectCategory Category { get; }

    /// <summary>Methods that change the object. Property setters and indexer setters always do.</summary>
    public ImmutableHashSet<string> Writes { get; }

    /// <summary>When set, only these methods read and every other method writes (for types whose mutators are the many).</summary>
    public ImmutableHashSet<string>? Reads { get; }

    /// <summary>An object no two threads may use at once, whatever the member (an EF Core <c>DbContext</c>).</summary>
    public bool EveryUseIsWrite { get; }

    public AccessKind Classify(string member)
    {
        if (EveryUseIsWrite)
        {
            return AccessKind.Write;
        }

        if (Reads is not null)
        {
            return Reads.Contains(member) ? AccessKind.Read : AccessKind.Write;
        }

        return Writes.Contains(member) ? AccessKind.Write : AccessKind.Read;
    }
}

/// <summary>
/// The curated table of thread-unsafe BCL types and how each member touches the object, and the list of types that
/// synchronize themselves. Decided per type and member, never per namespace of unsafe types: a <c>Dictionary</c> that
/// is only read is fine, <c>Random.Shared</c> is fine, <c>HttpClient.GetAsync</c> is fine.
/// </summary>
internal sealed class MemberTable
{
    private static readonly string[] s_listWrites =
    {
        "Add", "AddRange", "Insert", "InsertRange", "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "Clear", "Sort",
        "Reverse", "TrimExcess", "EnsureCapacity",
    };

    private static readonly string[] s_dictionaryWrites = { "Add", "TryAdd", "Remove", "Clear", "TrimExcess", "EnsureCapacity" };

    private static readonly string[] s_setWrites =
    {
        "Add", "Remove", "Clear", "UnionWith", "IntersectWith", "ExceptWith", "SymmetricExceptWith", "RemoveWhere", "TrimExcess",
        "EnsureCapacity",
    };

    private static readonly string[] s_queueWrites =
    {
        "Enqueue", "Dequeue", "TryDequeue", "Push", "Pop", "TryPop", "Clear", "TrimExcess", "EnsureCapacity", "EnqueueDequeue",
        "DequeueEnqueue", "EnqueueRange", "Remove",
    };

    private static readonly string[] s_linkedListWrites =
    {
        "AddAfter", "AddBefore", "AddFirst", "AddLast", "Remove", "RemoveFirst", "RemoveLast", "Clear",
    };

    private static readonly string[] s_stringBuilderReads = { "ToString", "CopyTo", "Equals", "GetChunks", "GetHashCode", "GetType" };

    private static readonly string[] s_randomWrites =
    {
        "Next", "NextBytes", "NextDouble", "NextInt64", "NextSingle", "Shuffle", "GetItems", "GetHexString", "GetString",
    };

    private static readonly string[] s_httpClientWrites = { "Dispose" };

    private static readonly string[] s_httpHeadersWrites = { "Add", "Remove", "Clear", "TryAddWithoutValidation" };

    // Extension methods (System.Collections.Generic.CollectionExtensions) that change the collection they extend.
    private static readonly ImmutableHashSet<string> s_writingExtensions = ImmutableHashSet.Create(
        StringComparer.Ordinal, "TryAdd", "Remove", "AddRange", "InsertRange", "RemoveRange", "CopyTo");

    private static readonly string[] s_threadSafeNamespaces =
    {
        "System.Collections.Concurrent", "System.Collections.Immutable", "System.Collections.Frozen", "System.Threading.Channels",
    };

    // Types that synchronize themselves (or, like Task, cannot be changed from outside).
    private static readonly string[] s_threadSafeTypes =
    {
        "System.Threading.ThreadLocal`1", "System.Threading.AsyncLocal`1", "System.Lazy`1", "System.Lazy`2",
        "System.Threading.Tasks.Task", "System.Threading.Tasks.Task`1", "System.Threading.Tasks.TaskCompletionSource",
        "System.Threading.Tasks.TaskCompletionSource`1", "System.Threading.CancellationTokenSource", "System.Threading.CancellationToken",
        "System.Threading.SemaphoreSlim", "System.Threading.ReaderWriterLockSlim", "System.Threading.ManualResetEventSlim",
        "System.Threading.CountdownEvent", "System.Threading.Barrier", "System.Threading.Lock", "System.Threading.Mutex",
        "System.Threading.Semaphore", "System.Threading.ManualResetEvent", "System.Threading.AutoResetEvent",
        "System.Diagnostics.ActivitySource", "System.Diagnostics.Metrics.Meter", "System.Diagnostics.Metrics.Counter`1",
        "System.Diagnostics.Metrics.Histogram`1", "System.Diagnostics.Metrics.UpDownCounter`1",
        "System.Net.Http.IHttpClientFactory",
    };

    private readonly Dictionary<INamedTypeSymbol, TypeRule> _rules = new(SymbolEqualityComparer.Default);
    private readonly HashSet<INamedTypeSymbol> _threadSafe = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ITypeSymbol, TypeRule?> _ruleCache = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ITypeSymbol, bool> _threadSafeCache = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? _threadSafeAttribute;
    private readonly TypeRule _dbContext = new(ObjectCategory.DbContext, Array.Empty<string>(), everyUseIsWrite: true);

    public MemberTable(Compilation compilation, INamedTypeSymbol? threadSafeAttribute)
    {
        _threadSafeAttribute = threadSafeAttribute;
        var list = new TypeRule(ObjectCategory.Collection, s_listWrites);
        var dictionary = new TypeRule(ObjectCategory.Collection, s_dictionaryWrites);
        var set = new TypeRule(ObjectCategory.Collection, s_setWrites);
        var queue = new TypeRule(ObjectCategory.Collection, s_queueWrites);
        Add(compilation, "System.Collections.Generic.List`1", list);
        Add(compilation, "System.Collections.Generic.Dictionary`2", dictionary);
        Add(compilation, "System.Collections.Generic.SortedDictionary`2", dictionary);
        Add(compilation, "System.Collections.Generic.SortedList`2", new TypeRule(ObjectCategory.Collection, s_dictionaryWrites.Concat(new[] { "RemoveAt", "SetValueAtIndex" }).ToArray()));
        Add(compilation, "System.Collections.Generic.HashSet`1", set);
        Add(compilation, "System.Collections.Generic.SortedSet`1", set);
        Add(compilation, "System.Collections.Generic.Queue`1", queue);
        Add(compilation, "System.Collections.Generic.Stack`1", queue);
        Add(compilation, "System.Collections.Generic.PriorityQueue`2", queue);
        Add(compilation, "System.Collections.Generic.LinkedList`1", new TypeRule(ObjectCategory.Collection, s_linkedListWrites));
        Add(compilation, "System.Collections.ArrayList", list);
        Add(compilation, "System.Collections.Hashtable", dictionary);
        Add(compilation, "System.Text.StringBuilder", new TypeRule(ObjectCategory.StringBuilder, Array.Empty<string>(), s_stringBuilderReads));
        Add(compilation, "System.Random", new TypeRule(ObjectCategory.Random, s_randomWrites));
        Add(compilation, "System.Net.Http.HttpClient", new TypeRule(ObjectCategory.HttpClient, s_httpClientWrites));
        Add(compilation, "System.Net.Http.Headers.HttpHeaders", new TypeRule(ObjectCategory.HttpClient, s_httpHeadersWrites));
        Add(compilation, "System.Net.Http.Headers.HttpRequestHeaders", new TypeRule(ObjectCategory.HttpClient, s_httpHeadersWrites));

        foreach (var name in s_threadSafeTypes)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                _threadSafe.Add(type);
            }
        }

        Random = compilation.GetTypeByMetadataName("System.Random");
        HttpClient = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient");
    }

    public INamedTypeSymbol? Random { get; }

    public INamedTypeSymbol? HttpClient { get; }

    /// <summary>The rule for objects of <paramref name="type"/>, or null when it is not in the table.</summary>
    public TypeRule? RuleFor(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        if (!_ruleCache.TryGetValue(named, out var rule))
        {
            rule = ComputeRule(named);
            _ruleCache.TryAdd(named, rule);
        }

        return rule;
    }

    /// <summary>Whether an extension method changes the collection it extends (<c>CollectionExtensions.TryAdd</c>).</summary>
    public static bool IsWritingExtension(IMethodSymbol method) =>
        method.ContainingType?.Name == "CollectionExtensions" && s_writingExtensions.Contains(method.Name);

    /// <summary>
    /// Whether objects of <paramref name="type"/> synchronize themselves: concurrent, immutable, frozen and channel types,
    /// <c>ThreadLocal</c>, <c>Lazy</c>, tasks and synchronization primitives, and types marked <c>[ThreadSafe]</c>.
    /// </summary>
    public bool IsThreadSafe(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (!_threadSafeCache.TryGetValue(type, out var safe))
        {
            safe = ComputeThreadSafe(type);
            _threadSafeCache.TryAdd(type, safe);
        }

        return safe;
    }

    /// <summary>Whether a field or property is marked <c>[ThreadSafe]</c>.</summary>
    public bool IsMarkedThreadSafe(ISymbol symbol) => HasThreadSafeAttribute(symbol);

    private void Add(Compilation compilation, string metadataName, TypeRule rule)
    {
        if (compilation.GetTypeByMetadataName(metadataName) is { } type)
        {
            _rules[type] = rule;
        }
    }

    private TypeRule? ComputeRule(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (_rules.TryGetValue(current.OriginalDefinition, out var rule))
            {
                return rule;
            }

            if (current.Name == "DbContext" && current.ContainingNamespace?.ToDisplayString() == "Microsoft.EntityFrameworkCore")
            {
                return _dbContext;
            }
        }

        return null;
    }

    private bool ComputeThreadSafe(ITypeSymbol type)
    {
        if (type is ITypeParameterSymbol or IErrorTypeSymbol)
        {
            return false;
        }

        if (type.TypeKind == TypeKind.Delegate || type.SpecialType == SpecialType.System_String)
        {
            return true;
        }

        var definition = type.OriginalDefinition;
        if (definition is INamedTypeSymbol named && _threadSafe.Contains(named))
        {
            return true;
        }

        if (HasThreadSafeAttribute(definition))
        {
            return true;
        }

        var ns = definition.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        foreach (var safe in s_threadSafeNamespaces)
        {
            if (ns == safe || ns.StartsWith(safe + ".", StringComparison.Ordinal))
            {
                return true;
            }
        }

        // EF Core's factory creates a fresh context per call; sharing it is the fix for sharing a DbContext.
        if (definition.Name == "IDbContextFactory" && ns == "Microsoft.EntityFrameworkCore")
        {
            return true;
        }

        return false;
    }

    private bool HasThreadSafeAttribute(ISymbol symbol)
    {
        if (_threadSafeAttribute is null)
        {
            return false;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _threadSafeAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
