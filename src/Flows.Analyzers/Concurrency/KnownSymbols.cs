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
        Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
        Monitor = compilation.GetTypeByMetadataName("System.Threading.Monitor");
        Interlocked = compilation.GetTypeByMetadataName("System.Threading.Interlocked");
        Volatile = compilation.GetTypeByMetadataName("System.Threading.Volatile");
        SemaphoreSlim = compilation.GetTypeByMetadataName("System.Threading.SemaphoreSlim");
        ReaderWriterLockSlim = compilation.GetTypeByMetadataName("System.Threading.ReaderWriterLockSlim");
        Lock = compilation.GetTypeByMetadataName("System.Threading.Lock");
        Table = new MemberTable(compilation, ThreadSafeAttribute);
    }

    public INamedTypeSymbol WorkflowAttribute { get; }

    public INamedTypeSymbol? ThreadSafeAttribute { get; }

    public INamedTypeSymbol? StepContext { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? Thread { get; }

    public INamedTypeSymbol? Monitor { get; }

    public INamedTypeSymbol? Interlocked { get; }

    public INamedTypeSymbol? Volatile { get; }

    public INamedTypeSymbol? SemaphoreSlim { get; }

    public INamedTypeSymbol? ReaderWriterLockSlim { get; }

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
