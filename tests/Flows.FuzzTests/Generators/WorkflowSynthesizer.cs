using System.Globalization;
using System.Text;

namespace Flows.FuzzTests.Generators;

/// <summary>
/// Writes random workflows that DESIGN.md says are valid: steps of every return shape (sync, Task, ValueTask, void;
/// static and instance; async or not), parallel groups with their failure policies and options, foreach steps over
/// step outputs or inputs with their options, [Retry] and [Timeout], Dataflow scheduling with [After] edges, and
/// bindings by name, [FromStep], Outcome&lt;T&gt;, StepContext and CancellationToken. A small usage class calls the
/// generated RunAsync by the input names, so compiling it checks the signature too. Every one must be accepted.
/// </summary>
internal sealed class WorkflowSynthesizer
{
    private enum Shape
    {
        Void,
        Value,
        Task,
        TaskOfT,
        ValueTask,
        ValueTaskOfT,
    }

    private enum Policy
    {
        FailFast,
        WaitAll,
        ContinueOnError,
        FirstSuccess,
    }

    /// <summary>A value type the synthesizer knows how to produce; <see cref="Item"/> is set for collections a foreach can read.</summary>
    private sealed record ValueType(string Text, string Expression, string? Item = null, bool NeedsNullable = false);

    private static readonly ValueType[] s_types =
    {
        new("int", "1"), new("string", "\"s\""), new("long", "2L"), new("bool", "true"), new("double", "1.5"), new("decimal", "1m"),
        new("Data", "new Data(1)"), new("int[]", "new[] { 1, 2, 3 }", "int"), new("IReadOnlyList<int>", "new[] { 1, 2 }", "int"),
        new("List<string>", "new List<string> { \"a\", \"b\" }", "string"), new("IEnumerable<int>", "Enumerable.Range(0, 3)", "int"),
        new("IAsyncEnumerable<int>", "Streams.Numbers()", "int"), new("Data[]", "new[] { new Data(1) }", "Data"),
        new("(int, string)", "(1, \"a\")"), new("(int Count, string Name)", "(1, \"a\")"), new("int?", "null"),
        new("string?", "null", NeedsNullable: true), new("Data?", "null", NeedsNullable: true), new("object", "new object()"),
        new("Dictionary<string, int>", "new Dictionary<string, int>()"), new("Guid", "Guid.Empty"), new("DateTimeOffset", "DateTimeOffset.UnixEpoch"),
    };

    private static readonly ValueType s_typeParameter = new("T", "default!");

    private static readonly string[] s_prefixes = { "Load", "Fetch", "Compute", "Check", "Send", "Price", "Rate", "Score", "Merge", "Store", "Parse", "Read" };

    private static readonly string[] s_keywordNames = { "@event", "@class", "@default", "@operator", "@checked", "@fixed" };

    private readonly Random _random;
    private readonly bool _nullable;
    private readonly int _stepCount;
    private readonly List<Step> _steps = new();
    private readonly List<Stage> _stages = new();
    private readonly List<(string Name, string Type)> _inputs = new();
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private bool _dataflow;
    private bool _generic;
    private bool _static;
    private string _workflowName = "Workflow1";

    private sealed class Stage
    {
        public string? Group { get; init; }

        public Policy Policy { get; init; }

        public List<Step> Members { get; } = new();
    }

    private sealed class Step
    {
        public required string Name { get; init; }

        public required string OutputName { get; init; }

        public required Stage Stage { get; init; }

        public Shape Shape { get; set; }

        public ValueType? Value { get; set; }

        public bool Static { get; set; }

        public bool Async { get; set; }

        public bool ContinueOnError { get; set; }

        public bool ForEach { get; set; }

        public bool ForEachContinueOnError { get; set; }

        public List<string> Attributes { get; } = new();

        public List<string> Parameters { get; } = new();

        public bool HasValue => Value is not null;

        /// <summary>What a consumer declares for this step's output.</summary>
        public string ConsumerType
        {
            get
            {
                var value = Value!.Text;
                if (ForEach)
                {
                    value = ForEachContinueOnError ? $"IReadOnlyList<Outcome<{value}>>" : $"IReadOnlyList<{value}>";
                }

                return ContinueOnError || Stage.Policy == Policy.ContinueOnError ? $"Outcome<{value}>" : value;
            }
        }
    }

    private WorkflowSynthesizer(Random random, bool nullable, int stepCount)
    {
        _random = random;
        _nullable = nullable;
        _stepCount = stepCount;
    }

    /// <summary>A valid workflow program of <paramref name="stepCount"/> steps, and a smaller earlier version of it.</summary>
    public static (ImmutableArray<FuzzFile> Files, ImmutableArray<FuzzFile> Previous, string Description) Synthesize(Random random, bool nullable, int stepCount)
    {
        var synthesizer = new WorkflowSynthesizer(random, nullable, stepCount);
        var (text, description) = synthesizer.Write();

        // The earlier version the incremental run starts from: the same program with its last step's body or
        // attributes edited is what a user typing sees; a cheap stand-in is the program with a comment added and a
        // different option on the workflow.
        var previous = text.Replace("[Workflow", "// an earlier version\n[Workflow", StringComparison.Ordinal);
        var steps = synthesizer._steps;
        if (steps.Count > 1 && random.Next(2) == 0)
        {
            // Or without its last step (a step was just added).
            var last = steps[^1];
            var start = text.IndexOf("    // step " + last.Name + "\n", StringComparison.Ordinal);
            var end = text.IndexOf("    // end " + last.Name + "\n", StringComparison.Ordinal);
            if (start >= 0 && end > start)
            {
                previous = text.Substring(0, start) + text.Substring(end);
            }
        }

        return (ImmutableArray.Create(new FuzzFile("Synthesized.cs", text)), ImmutableArray.Create(new FuzzFile("Synthesized.cs", previous)), description);
    }

    private bool Chance(int percent) => _random.Next(100) < percent;

    private T OneOf<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private ValueType RandomType(bool allowTypeParameter = true)
    {
        while (true)
        {
            if (_generic && allowTypeParameter && Chance(10))
            {
                return s_typeParameter;
            }

            var type = OneOf(s_types);
            if (!type.NeedsNullable || _nullable)
            {
                return type;
            }
        }
    }

    private string NewName(string preferred)
    {
        var name = preferred;
        for (var i = 2; !_names.Add(name.TrimStart('@')); i++)
        {
            name = preferred + i.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }

    private (string Text, string Description) Write()
    {
        _workflowName = OneOf(new[] { "Workflow1", "OrderFlow", "@event", "Pipeline" });
        _names.Add(_workflowName.TrimStart('@'));
        _dataflow = Chance(30);
        _static = Chance(10);
        _generic = !_static && Chance(15);
        foreach (var reserved in new[] { "RunAsync", "MermaidDiagram", "OnStepStarting", "OnStepCompleted", "OnStepFailed", "Workflow", "Data", "Streams", "Durable", "T" })
        {
            _names.Add(reserved);
        }

        // Stages: single steps and groups.
        var remaining = _stepCount;
        while (remaining > 0)
        {
            if (remaining >= 2 && Chance(30))
            {
                var size = Math.Min(remaining, _random.Next(2, 5));
                var policy = _dataflow ? Policy.FailFast : (Policy)_random.Next(4);
                var stage = new Stage { Group = NewName(OneOf(new[] { "checks", "quotes", "fanout", "g", "Group", "event", "prices" })), Policy = policy };
                _stages.Add(stage);
                for (var i = 0; i < size; i++)
                {
                    AddStep(stage);
                }

                remaining -= size;
            }
            else
            {
                var stage = new Stage();
                _stages.Add(stage);
                AddStep(stage);
                remaining--;
            }
        }

        FinishGroups();
        foreach (var step in _steps)
        {
            WireParameters(step);
        }

        return Render();
    }

    private void AddStep(Stage stage)
    {
        var index = _steps.Count;
        var async = Chance(25);
        string name;
        if (Chance(3))
        {
            name = NewName(OneOf(s_keywordNames));
        }
        else
        {
            name = NewName(OneOf(s_prefixes) + index.ToString(CultureInfo.InvariantCulture));
        }

        var methodName = async && !name.StartsWith('@') ? name + "Async" : name;
        var step = new Step { Name = methodName, OutputName = name.TrimStart('@'), Stage = stage, Static = _static || Chance(20) };
        var shape = (Shape)_random.Next(6);
        step.Shape = shape;
        if (shape is Shape.Value or Shape.TaskOfT or Shape.ValueTaskOfT)
        {
            step.Value = RandomType();
        }

        step.Async = shape is Shape.Task or Shape.TaskOfT or Shape.ValueTask or Shape.ValueTaskOfT && Chance(40);
        stage.Members.Add(step);
        _steps.Add(step);
    }

    // Group options that need the members: FirstSuccess members return one value type; ContinueOnError may set a minimum.
    private void FinishGroups()
    {
        foreach (var stage in _stages.Where(s => s.Group is not null))
        {
            if (stage.Policy == Policy.FirstSuccess)
            {
                var type = RandomType();
                foreach (var member in stage.Members)
                {
                    member.Shape = OneOf(new[] { Shape.Value, Shape.TaskOfT, Shape.ValueTaskOfT });
                    member.Value = type;
                }
            }

            var first = stage.Members[0];
            var options = new List<string>();
            if (stage.Policy != Policy.FailFast || Chance(30))
            {
                options.Add($"Failure = FailurePolicy.{stage.Policy}");
            }

            if (stage.Policy == Policy.ContinueOnError && Chance(50))
            {
                options.Add($"MinSuccessCount = {_random.Next(0, stage.Members.Count + 1)}");
            }

            if (!_dataflow && Chance(25))
            {
                options.Add($"TimeoutMilliseconds = {OneOf(new[] { 0, 1, 1000, 60000, int.MaxValue })}");
            }

            // Options may be written on any member; repeating them on a second member (same values) is allowed.
            foreach (var member in stage.Members)
            {
                var withOptions = member == first || (options.Count > 0 && Chance(30));
                member.Attributes.Add($"Parallel(\"{stage.Group}\"{(withOptions && options.Count > 0 ? ", " + string.Join(", ", options) : string.Empty)})");
            }
        }

        foreach (var step in _steps)
        {
            // A foreach may be a member of any group but a first-success one (whose members give one value).
            if (step.Stage.Policy != Policy.FirstSuccess && Chance(20) && TryMakeForEach(step))
            {
                continue;
            }

            if (step.HasValue && step.Stage.Policy != Policy.FirstSuccess && Chance(10))
            {
                step.ContinueOnError = true;
            }

            step.Attributes.Insert(0, step.ContinueOnError ? "Step(ContinueOnError = true)" : "Step");
            AddResilience(step);
        }
    }

    private bool TryMakeForEach(Step step)
    {
        // A source: an earlier stage's collection output, or an input.
        var sources = _steps.TakeWhile(s => s.Stage != step.Stage)
            .Where(s => s.HasValue && s.Value!.Item is not null && !s.ForEach && !s.ContinueOnError && s.Stage.Policy is Policy.FailFast or Policy.WaitAll)
            .ToArray();
        string source;
        string item;
        if (sources.Length > 0 && Chance(70))
        {
            var producer = OneOf(sources);
            source = $"nameof({producer.Name})";
            item = producer.Value!.Item!;
        }
        else
        {
            var name = NewName("items" + _steps.IndexOf(step).ToString(CultureInfo.InvariantCulture));
            source = $"\"{name}\"";
            item = RandomType(allowTypeParameter: false).Text;
            if (item.EndsWith('?') && !_nullable)
            {
                item = "int";
            }

            _inputs.Add((name, $"IReadOnlyList<{item}>"));
        }

        step.ForEach = true;
        step.Parameters.Add($"{item} item");
        step.Shape = OneOf(new[] { Shape.Value, Shape.TaskOfT, Shape.ValueTaskOfT, Shape.Task, Shape.Void, Shape.ValueTask });
        step.Value = step.Shape is Shape.Value or Shape.TaskOfT or Shape.ValueTaskOfT ? RandomType() : null;
        var options = new List<string>();
        if (Chance(60))
        {
            options.Add($"MaxDegreeOfParallelism = {OneOf(new[] { 1, 2, 4, 16, -1, int.MaxValue })}");
        }

        if (Chance(25))
        {
            step.ForEachContinueOnError = true;
            options.Add("ContinueOnError = true");
            if (Chance(50))
            {
                options.Add($"MinSuccessRate = {OneOf(new[] { "0", "0.5", "1", "0.25", "1e-9" })}");
            }
        }

        if (Chance(20))
        {
            options.Add($"BatchSize = {_random.Next(1, 10)}");
            if (Chance(50))
            {
                options.Add($"DelayBetweenBatchesMilliseconds = {_random.Next(0, 50)}");
            }
        }

        if (Chance(15))
        {
            options.Add($"MaxItemsPerSecond = {OneOf(new[] { "0", "0.5", "100", "1e6" })}");
        }

        step.Attributes.Insert(0, $"ParallelForEach({source}{(options.Count > 0 ? ", " + string.Join(", ", options) : string.Empty)})");
        AddResilience(step);
        return true;
    }

    private void AddResilience(Step step)
    {
        if (Chance(15))
        {
            var options = new List<string>();
            if (Chance(50))
            {
                options.Add($"DelayMilliseconds = {_random.Next(0, 20)}");
            }

            if (Chance(40))
            {
                options.Add($"Backoff = Backoff.{OneOf(new[] { "Constant", "Linear", "Exponential" })}");
            }

            if (Chance(30))
            {
                options.Add("Jitter = true");
            }

            if (Chance(30))
            {
                options.Add(OneOf(new[] { "RetryOn = new[] { typeof(InvalidOperationException) }", "RetryOn = new[] { typeof(TimeoutException), typeof(System.IO.IOException) }", "RetryOn = new Type[0]" }));
            }

            step.Attributes.Add($"Retry({_random.Next(1, 6)}{(options.Count > 0 ? ", " + string.Join(", ", options) : string.Empty)})");
        }

        if (Chance(15))
        {
            step.Attributes.Add($"Timeout({OneOf(new[] { 1, 100, 30000, int.MaxValue })})");
        }

        if (_dataflow && Chance(20))
        {
            var earlier = _steps.TakeWhile(s => s.Stage != step.Stage).ToArray();
            if (earlier.Length > 0)
            {
                step.Attributes.Add($"After(nameof({OneOf(earlier).Name}))");
            }
        }
    }

    private void WireParameters(Step step)
    {
        var earlier = _steps.TakeWhile(s => s.Stage != step.Stage).ToArray();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var parameterNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "item" };
        var count = _random.Next(0, 4);
        for (var i = 0; i < count; i++)
        {
            var roll = _random.Next(100);
            if (roll < 45 && earlier.Length > 0)
            {
                var producer = OneOf(earlier);
                if (producer.Stage.Policy == Policy.FirstSuccess)
                {
                    // A first-success group's value is consumed by the group's name.
                    var group = producer.Stage.Group!;
                    if (used.Add("group:" + group) && parameterNames.Add(group))
                    {
                        step.Parameters.Add($"{producer.Value!.Text} {Parameter(group)}");
                    }

                    continue;
                }

                if (!producer.HasValue || !used.Add(producer.Name))
                {
                    continue;
                }

                if (Chance(30))
                {
                    var name = NewName("from" + producer.OutputName.TrimStart('@'));
                    parameterNames.Add(name);
                    step.Parameters.Add($"[FromStep(nameof({producer.Name}))] {producer.ConsumerType} {name}");
                }
                else if (parameterNames.Add(producer.OutputName))
                {
                    step.Parameters.Add($"{producer.ConsumerType} {Parameter(producer.OutputName)}");
                }
            }
            else if (roll < 75)
            {
                // An input, sometimes one another step declared already.
                var plain = _inputs.Where(input => !input.Type.StartsWith("IReadOnlyList<", StringComparison.Ordinal)).ToArray();
                (string Name, string Type) input;
                if (plain.Length > 0 && Chance(40))
                {
                    input = OneOf(plain);
                }
                else
                {
                    var type = RandomType();
                    input = (NewName(Chance(10) ? OneOf(new[] { "@event", "@class", "value", "args", "options" }) : "input" + _inputs.Count.ToString(CultureInfo.InvariantCulture)), type.Text);
                    _inputs.Add(input);
                }

                if (parameterNames.Add(input.Name.TrimStart('@')))
                {
                    step.Parameters.Add($"{input.Type} {input.Name}");
                }
            }
            else if (roll < 88)
            {
                if (parameterNames.Add("ct"))
                {
                    step.Parameters.Add(Chance(50) ? "CancellationToken ct" : "CancellationToken cancellationToken".Replace("cancellationToken", parameterNames.Add("cancellationToken") ? "cancellationToken" : "ct2", StringComparison.Ordinal));
                }
            }
            else if (parameterNames.Add("context"))
            {
                step.Parameters.Add("StepContext context");
            }
        }
    }

    private static string Lower(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

    private static string Parameter(string outputName) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(Lower(outputName)) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + Lower(outputName) : Lower(outputName);

    private (string Text, string Description) Render()
    {
        var text = new StringBuilder();
        text.Append("using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Flows;\n\n");
        var namespaceKind = _random.Next(3);
        var namespaceName = OneOf(new[] { "Fuzz.Synthesized", "Fuzz.@event", "Fuzz.Deep.Name.Space", "Synthesized" });
        var indent = string.Empty;
        if (namespaceKind == 0)
        {
            text.Append("namespace ").Append(namespaceName).Append(";\n\n");
        }
        else if (namespaceKind == 1)
        {
            text.Append("namespace ").Append(namespaceName).Append("\n{\n");
        }

        text.Append("public sealed record Data(int Value);\n\n");
        text.Append("public static class Streams\n{\n    public static async IAsyncEnumerable<int> Numbers()\n    {\n        await Task.Yield();\n        yield return 1;\n    }\n}\n\n");

        var nested = Chance(15);
        var outer = nested ? OneOf(new[] { "public partial class Outer", "public static partial class Outer", "public partial record Outer", "internal partial struct Outer" }) : null;
        if (outer is not null)
        {
            text.Append(outer).Append("\n{\n");
        }

        var options = new List<string>();
        if (_dataflow)
        {
            options.Add("Scheduling = Scheduling.Dataflow");
        }
        else if (Chance(10))
        {
            options.Add("Scheduling = Scheduling.Sequential");
        }

        if (Chance(15))
        {
            options.Add($"TimeoutMilliseconds = {OneOf(new[] { 0, 1, 5000, int.MaxValue })}");
        }

        // The durable class too: written from the same model, fuzzed on the same shapes.
        if (Chance(25))
        {
            options.Add(OneOf(new[] { "Durable = true", "Durable = true", "Durable = false" }));
        }

        var keyword = _static ? "static partial class" : OneOf(new[] { "partial class", "sealed partial class", "partial class", "partial record", "sealed partial record" });
        var typeParameters = _generic ? "<T>" : string.Empty;
        text.Append($"[Workflow{(options.Count > 0 ? "(" + string.Join(", ", options) + ")" : string.Empty)}]\n");
        text.Append($"public {keyword} {_workflowName}{typeParameters}\n{{\n");
        foreach (var step in _steps)
        {
            RenderStep(text, step);
        }

        var hooks = _random.Next(8);
        if ((hooks & 1) != 0)
        {
            text.Append($"    {(_static ? "static " : string.Empty)}partial void OnStepStarting(in StepContext context) {{ }}\n");
        }

        if ((hooks & 2) != 0)
        {
            text.Append($"    {(_static ? "static " : string.Empty)}partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) {{ }}\n");
        }

        if ((hooks & 4) != 0)
        {
            text.Append($"    {(_static ? "static " : string.Empty)}partial void OnStepFailed(in StepContext context, Exception exception) {{ }}\n");
        }

        text.Append("}\n");
        if (outer is not null)
        {
            text.Append("}\n");
        }

        // The usage: the generated signature, called by input names.
        var type = (outer is not null ? "Outer." : string.Empty) + _workflowName + (_generic ? "<int>" : string.Empty);
        var target = _static ? type : (keyword.Contains("record", StringComparison.Ordinal) ? $"new {type}()" : $"new {type}()");
        var arguments = string.Join(", ", _inputs.Where(input => IsInputUsed(input.Name)).Select(input => $"{input.Name}: default!").Append("cancellationToken: CancellationToken.None"));
        if (!_inputs.Any(input => string.Equals(input.Name, "cancellationToken", StringComparison.OrdinalIgnoreCase)))
        {
            text.Append($"\npublic static class Usage\n{{\n    public static async Task Use()\n    {{\n        await {target}.RunAsync({arguments});\n    }}\n}}\n");
        }

        if (namespaceKind == 1)
        {
            text.Append("}\n");
        }

        var description = $"{_steps.Count} steps, {_stages.Count(s => s.Group is not null)} groups, {_steps.Count(s => s.ForEach)} foreach, {(_dataflow ? "dataflow" : "sequential")}{(_generic ? ", generic" : string.Empty)}{(_static ? ", static" : string.Empty)}{(nested ? ", nested" : string.Empty)}";
        return (text.ToString(), description);
    }

    private bool IsInputUsed(string name) =>
        _steps.Any(step => step.Parameters.Any(p => p.EndsWith(" " + name, StringComparison.Ordinal)) || step.Attributes.Any(a => a.Contains($"\"{name}\"", StringComparison.Ordinal)));

    private void RenderStep(StringBuilder text, Step step)
    {
        text.Append("    // step ").Append(step.Name).Append('\n');
        text.Append("    [").Append(string.Join(", ", step.Attributes)).Append("]\n");
        var value = step.Value?.Text;
        var expression = step.Value?.Expression;
        var returnType = step.Shape switch
        {
            Shape.Void => "void",
            Shape.Value => value!,
            Shape.Task => "Task",
            Shape.TaskOfT => $"Task<{value}>",
            Shape.ValueTask => "ValueTask",
            _ => $"ValueTask<{value}>",
        };
        var async = step.Async && step.Shape is not (Shape.Void or Shape.Value);
        var modifiers = "public " + (step.Static ? "static " : string.Empty) + (async ? "async " : string.Empty);
        text.Append("    ").Append(modifiers).Append(returnType).Append(' ').Append(step.Name).Append('(').Append(string.Join(", ", step.Parameters)).Append(")\n");
        string body;
        if (async)
        {
            body = step.Shape is Shape.Task or Shape.ValueTask
                ? "    {\n        await Task.Yield();\n    }\n"
                : $"    {{\n        await Task.Yield();\n        return {expression};\n    }}\n";
        }
        else
        {
            body = step.Shape switch
            {
                Shape.Void => "    {\n    }\n",
                Shape.Value => $"        => {expression};\n",
                Shape.Task => "        => Task.CompletedTask;\n",
                Shape.TaskOfT => $"        => Task.FromResult<{value}>({expression});\n",
                Shape.ValueTask => "        => default;\n",
                _ => $"        => new ValueTask<{value}>(({value})({expression}));\n",
            };
        }

        text.Append(body);
        text.Append("    // end ").Append(step.Name).Append('\n');
    }
}
