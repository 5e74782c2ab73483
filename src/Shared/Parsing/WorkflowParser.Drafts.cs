using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parsing;

internal static partial class WorkflowParser
{
    // Drafts hold symbols while the parser works; the model built from them holds none.
    private sealed class StepDraft
    {
        public StepDraft(IMethodSymbol method, string outputName, int index)
        {
            Method = method;
            OutputName = outputName;
            Index = index;
        }

        public IMethodSymbol Method { get; }

        public string OutputName { get; }

        public int Index { get; }

        public ReturnKind ReturnKind { get; set; }

        /// <summary>What the method returns (per item for a foreach), unwrapped from its task.</summary>
        public ITypeSymbol? ValueType { get; set; }

        /// <summary>What consumers receive; null when nothing.</summary>
        public ITypeSymbol? OutputType { get; set; }

        public AttributeData? Parallel { get; set; }

        public string? Group { get; set; }

        public int Stage { get; set; }

        public bool ContinueOnError { get; set; }

        public ForEachDraft? ForEach { get; set; }

        public RetryModel? Retry { get; set; }

        public int TimeoutMilliseconds { get; set; }

        public List<AttributeData> AfterAttributes { get; } = new();

        public List<int> After { get; } = new();

        /// <summary>The steps this one waits for: what it consumes and its [After] steps.</summary>
        public HashSet<int> Dependencies { get; } = new();

        public List<ArgumentDraft> Arguments { get; } = new();
    }

    private sealed class ForEachDraft
    {
        public ForEachDraft(AttributeData attribute, string sourceName)
        {
            Attribute = attribute;
            SourceName = sourceName;
        }

        public AttributeData Attribute { get; }

        public string SourceName { get; }

        public int? MaxDegreeOfParallelism { get; set; }

        public bool ContinueOnError { get; set; }

        public double MinSuccessRate { get; set; }

        public int BatchSize { get; set; }

        public int DelayBetweenBatchesMilliseconds { get; set; }

        public double MaxItemsPerSecond { get; set; }

        public IParameterSymbol? ItemParameter { get; set; }

        /// <summary>The type generated code carries the items in: the source's element type where it is the parameter's.</summary>
        public ITypeSymbol? ItemType { get; set; }

        public ArgumentKind SourceKind { get; set; }

        public int Source { get; set; } = -1;

        public SourceShape Shape { get; set; }

        public ForEachModel ToModel() => new(
            SourceKind,
            Source,
            Shape,
            (ItemType ?? ItemParameter?.Type)?.ToFullyQualified() ?? string.Empty,
            MaxDegreeOfParallelism,
            ContinueOnError,
            MinSuccessRate,
            BatchSize,
            DelayBetweenBatchesMilliseconds,
            MaxItemsPerSecond);
    }

    private sealed class GroupOption
    {
        public GroupOption(int value, StepDraft setBy, AttributeData attribute)
        {
            Value = value;
            SetBy = setBy;
            Attribute = attribute;
        }

        public int Value { get; }

        public StepDraft SetBy { get; }

        public AttributeData Attribute { get; }
    }

    private sealed class StageDraft
    {
        public StageDraft(string? group, int index)
        {
            Group = group;
            Index = index;
        }

        public string? Group { get; }

        public int Index { get; }

        public List<int> Steps { get; } = new();

        public GroupOption? Failure { get; set; }

        public GroupOption? MinSuccess { get; set; }

        public GroupOption? Timeout { get; set; }

        public GroupFailure FailurePolicy => (GroupFailure)(Failure?.Value ?? 0);

        public int MinSuccessCount => MinSuccess?.Value ?? 0;

        public int TimeoutMilliseconds => Timeout?.Value ?? 0;

        /// <summary>A first-success group's value type: what consumers of the group receive.</summary>
        public ITypeSymbol? OutputType { get; set; }
    }

    private readonly struct ArgumentDraft
    {
        public ArgumentDraft(ArgumentKind kind, IParameterSymbol parameter, int source)
        {
            Kind = kind;
            Parameter = parameter;
            Source = source;
        }

        public ArgumentKind Kind { get; }

        public IParameterSymbol Parameter { get; }

        public int Source { get; }
    }

    private sealed class InputDraft
    {
        public InputDraft(string name, ITypeSymbol type, Location firstLocation, string firstStep)
        {
            Name = name;
            Type = type;
            FirstLocation = firstLocation;
            FirstStep = firstStep;
        }

        public string Name { get; }

        public ITypeSymbol Type { get; set; }

        public Location FirstLocation { get; }

        public string FirstStep { get; }

        /// <summary>Named only by foreach sources so far: a step parameter that declares it decides its type.</summary>
        public bool OnlyForEachSource { get; set; }

        /// <summary>The foreach steps that read their items from this input.</summary>
        public List<StepDraft> ForEachConsumers { get; } = new();
    }
}
