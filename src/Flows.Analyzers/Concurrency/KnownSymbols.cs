using System.Collections.Immutable;
using Flows.Generator;
using Microsoft.CodeAnalysis;

namespace Flows.Analyzers.Concurrency;

/// <summary>The types the race analysis recognizes, resolved once per compilation.</summary>
internal sealed class KnownSymbols
{
    public KnownSymbols(Compilation compilation, INamedTypeSymbol workflowAttribute)
    {
        WorkflowAttribute = workflowAttribute;
        ThreadSafeAttribute = compilation.GetTypeByMetadataName(KnownTypeNames.ThreadSafeAttribute);
        StepContext = compilation.GetTypeByMetadataName(KnownTypeNames.StepContext);
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        Interlocked = compilation.GetTypeByMetadataName("System.Threading.Interlocked");
        SemaphoreSlim = compilation.GetTypeByMetadataName("System.Threading.SemaphoreSlim");
        Lock = compilation.GetTypeByMetadataName("System.Threading.Lock");
        Table = new MemberTable(compilation, ThreadSafeAttribute);
        AtomicRefTypes = SynchronizationApis.ResolveAtomicRefTypes(compilation);
        LockApis = SynchronizationApis.ResolveLocks(compilation);
        BlockingApis = Concurrency.BlockingApis.Resolve(compilation);
        ThreadStaticAttribute = compilation.GetTypeByMetadataName(SynchronizationApis.ThreadStaticAttribute);
        MethodImplAttribute = compilation.GetTypeByMetadataName(SynchronizationApis.MethodImplAttribute);
    }

    /// <summary>Types whose <c>ref</c> arguments are atomic accesses (<see cref="SynchronizationApis.AtomicRefTypes"/>).</summary>
    public ImmutableHashSet<INamedTypeSymbol> AtomicRefTypes { get; }

    /// <summary>The lock APIs of <see cref="SynchronizationApis.Locks"/>, by type and method name.</summary>
    public ImmutableDictionary<(INamedTypeSymbol Type, string Method), LockApi> LockApis { get; }

    public INamedTypeSymbol? ThreadStaticAttribute { get; }

    public INamedTypeSymbol? MethodImplAttribute { get; }

    /// <summary>The blocking members of <see cref="Concurrency.BlockingApis.Members"/>, by declaring type and name.</summary>
    public ImmutableDictionary<(INamedTypeSymbol Type, string Method), BlockingApi> BlockingApis { get; }

    /// <summary>The blocking member <paramref name="member"/> is (<c>Task.Wait</c>, <c>Task&lt;T&gt;.Result</c>), if it is one.</summary>
    public BlockingApi? BlockingApiOf(ISymbol member) =>
        member.ContainingType?.OriginalDefinition is { } type && BlockingApis.TryGetValue((type, member.Name), out var api)
        && api.Static == member.IsStatic && api.Property == (member is IPropertySymbol)
            ? api
            : null;

    /// <summary>The lock API <paramref name="method"/> is, if it is one.</summary>
    public LockApi? LockApiOf(IMethodSymbol method) =>
        method.ContainingType is { } type && LockApis.TryGetValue((type, method.Name), out var api) ? api : null;

    /// <summary>Whether a field is <c>[ThreadStatic]</c>: one value per thread.</summary>
    public bool IsThreadStatic(ISymbol? symbol) =>
        symbol is IFieldSymbol { IsStatic: true } field && ThreadStaticAttribute is not null
        && field.GetAttributes().Any(a => Same(a.AttributeClass, ThreadStaticAttribute));

    /// <summary>Whether a method is <c>[MethodImpl(MethodImplOptions.Synchronized)]</c>: its body runs under <c>lock (this)</c>.</summary>
    public bool IsSynchronizedMethod(IMethodSymbol method)
    {
        if (MethodImplAttribute is null)
        {
            return false;
        }

        foreach (var attribute in method.GetAttributes())
        {
            if (Same(attribute.AttributeClass, MethodImplAttribute) && attribute.ConstructorArguments.Length > 0
                && attribute.ConstructorArguments[0].Value is { } value
                && (Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) & SynchronizationApis.SynchronizedOption) != 0)
            {
                return true;
            }
        }

        return false;
    }

    public INamedTypeSymbol WorkflowAttribute { get; }

    public INamedTypeSymbol? ThreadSafeAttribute { get; }

    public INamedTypeSymbol? StepContext { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? Interlocked { get; }

    public INamedTypeSymbol? SemaphoreSlim { get; }

    public INamedTypeSymbol? Lock { get; }

    public MemberTable Table { get; }

    public bool IsTaskLike(ITypeSymbol? type)
    {
        var definition = type?.OriginalDefinition;
        return definition is not null
            && (Same(definition, Task) || Same(definition, TaskOfT) || Same(definition, ValueTask) || Same(definition, ValueTaskOfT));
    }

    public static bool Same(ISymbol? a, ISymbol? b) => b is not null && SymbolEqualityComparer.Default.Equals(a, b);
}
