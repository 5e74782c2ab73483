using Flows.Generator.Model;

namespace Flows.Generator.Emitting;

/// <summary>
/// Draws a workflow as a Mermaid flowchart: a node per step, a subgraph per parallel group, dotted edges for
/// the order of stages and solid edges for the data a step consumes.
/// </summary>
internal static class MermaidWriter
{
    public static IReadOnlyList<string> Write(WorkflowModel model)
    {
        var lines = new List<string> { "flowchart TD" };
        for (var i = 0; i < model.Stages.Count; i++)
        {
            var stage = model.Stages[i];
            if (stage.IsGroup)
            {
                var policy = stage.Failure.ToString();
                lines.Add($"    subgraph g{i}[\"parallel: {Label(stage.Group!)} ({policy})\"]");
                foreach (var index in stage.Steps)
                {
                    lines.Add($"        {Node(model, index)}");
                }

                lines.Add("    end");
            }
            else
            {
                lines.Add($"    {Node(model, stage.Steps[0])}");
            }
        }

        var dataEdges = new HashSet<(int From, int To)>();
        foreach (var consumer in model.Steps)
        {
            if (consumer.ForEach is { SourceKind: ArgumentKind.StepOutput } forEach)
            {
                dataEdges.Add((forEach.Source, IndexOf(model, consumer)));
            }

            foreach (var argument in consumer.Arguments)
            {
                if (argument.Kind == ArgumentKind.StepOutput)
                {
                    dataEdges.Add((argument.Source, IndexOf(model, consumer)));
                }
            }
        }

        // Dataflow: [After] edges are the only order besides data. Sequential: the order of stages, where no
        // data edge already shows it.
        if (model.Scheduling == SchedulingKind.Dataflow)
        {
            foreach (var step in model.Steps)
            {
                foreach (var after in step.After)
                {
                    lines.Add($"    s{after} -.-> s{IndexOf(model, step)}");
                }
            }
        }

        for (var i = 1; i < model.Stages.Count && model.Scheduling == SchedulingKind.Sequential; i++)
        {
            var previous = model.Stages[i - 1];
            var current = model.Stages[i];
            var linked = previous.Steps.Any(from => current.Steps.Any(to => dataEdges.Contains((from, to))));
            if (!linked)
            {
                lines.Add($"    {StageId(model, i - 1)} -.-> {StageId(model, i)}");
            }
        }

        foreach (var (from, to) in dataEdges.OrderBy(edge => edge.To).ThenBy(edge => edge.From))
        {
            lines.Add($"    s{from} --> s{to}");
        }

        return lines;
    }

    private static string Node(WorkflowModel model, int index)
    {
        var step = model.Steps[index];
        if (step.ForEach is not { } forEach)
        {
            return $"s{index}[\"{Label(step.MethodName)}\"]";
        }

        // A foreach is drawn as a stack of items, with its source and its degree of parallelism.
        var source = forEach.SourceKind switch
        {
            ArgumentKind.StepOutput => model.Steps[forEach.Source].MethodName,
            ArgumentKind.GroupOutput => model.Stages[forEach.Source].Group!,
            _ => model.Inputs[forEach.Source].Name,
        };
        var degree = forEach.MaxDegreeOfParallelism switch
        {
            null => "processor count",
            -1 => "unbounded",
            { } value => value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return $"s{index}[[\"{Label(step.MethodName)}: for each of {Label(source)}, parallelism {degree}\"]]";
    }

    private static string StageId(WorkflowModel model, int stage) =>
        model.Stages[stage].IsGroup ? $"g{stage}" : $"s{model.Stages[stage].Steps[0]}";

    private static int IndexOf(WorkflowModel model, StepModel step)
    {
        for (var i = 0; i < model.Steps.Count; i++)
        {
            if (ReferenceEquals(model.Steps[i], step))
            {
                return i;
            }
        }

        return -1;
    }

    // Mermaid labels are quoted; quotes and angle brackets are written as entities, line breaks as spaces.
    private static string Label(string text) =>
        text.Replace("\"", "#quot;").Replace("<", "#lt;").Replace(">", "#gt;").Replace("\r", " ").Replace("\n", " ");
}
