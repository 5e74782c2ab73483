using System.Reflection;

namespace Flows.Generator.Tests;

/// <summary>
/// The generator does not reference Flows.Abstractions and matches its types by metadata name; these pin each
/// name to the real type, so that renaming or moving one breaks a test instead of silently generating nothing.
/// </summary>
public sealed class KnownTypeNamesTests
{
    public static IEnumerable<object[]> Pinned() => new[]
    {
        new object[] { KnownTypeNames.WorkflowAttribute, typeof(WorkflowAttribute) },
        new object[] { KnownTypeNames.StepAttribute, typeof(StepAttribute) },
        new object[] { KnownTypeNames.ParallelAttribute, typeof(ParallelAttribute) },
        new object[] { KnownTypeNames.ParallelForEachAttribute, typeof(ParallelForEachAttribute) },
        new object[] { KnownTypeNames.RetryAttribute, typeof(RetryAttribute) },
        new object[] { KnownTypeNames.TimeoutAttribute, typeof(TimeoutAttribute) },
        new object[] { KnownTypeNames.FromStepAttribute, typeof(FromStepAttribute) },
        new object[] { KnownTypeNames.AfterAttribute, typeof(AfterAttribute) },
        new object[] { KnownTypeNames.ThreadSafeAttribute, typeof(ThreadSafeAttribute) },
        new object[] { KnownTypeNames.StepContext, typeof(StepContext) },
        new object[] { KnownTypeNames.Outcome, typeof(Outcome<>) },
        new object[] { KnownTypeNames.FlowControl, typeof(FlowControl) },
    };

    [Theory]
    [MemberData(nameof(Pinned))]
    public void NameIsTheTypesFullName(string name, Type type) => Assert.Equal(type.FullName, name);

    [Fact]
    public void NamespaceIsTheAttributesNamespace() => Assert.Equal(KnownTypeNames.Namespace, typeof(WorkflowAttribute).Namespace);

    [Fact]
    public void EveryNameResolvesInFlowsAbstractions()
    {
        // Catches a constant added later without a pin above.
        var assembly = typeof(WorkflowAttribute).Assembly;
        var names = typeof(KnownTypeNames)
            .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(string) && field.Name != nameof(KnownTypeNames.Namespace))
            .Select(field => (Field: field.Name, Value: (string)field.GetRawConstantValue()!))
            .ToArray();

        Assert.NotEmpty(names);
        foreach (var (field, value) in names)
        {
            var type = assembly.GetType(value, throwOnError: false);
            Assert.True(type is not null, $"KnownTypeNames.{field} = \"{value}\" is not a type of {assembly.GetName().Name}.");
            Assert.True(type!.IsPublic, $"KnownTypeNames.{field} names a type users cannot write.");
        }

        Assert.Equal(Pinned().Count(), names.Length);
    }

    [Fact]
    public void GeneratorFindsWorkflowsByTheAttributesMetadataName()
    {
        // The end-to-end form of the pin: a workflow written against the real attribute is generated.
        var run = Infrastructure.TestCompilation.Run(
            Infrastructure.CompileSettings.Default,
            "using Flows; [Workflow] public partial class W { [Step] public int A(int x) => x; }");

        Assert.Single(run.Files);
    }
}
