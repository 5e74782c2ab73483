namespace Flows.Generator.Model;

/// <summary>
/// Which steps of a workflow may run at the same time — read from the same model the generator writes the
/// orchestration from, so that the race analysis and the generated code cannot disagree.
/// </summary>
internal static class StepOverlap
{
    /// <summary>
    /// <c>[i, j]</c> is true when steps <c>i</c> and <c>j</c> may run at the same time; <c>[i, i]</c> when a foreach
    /// step may run on two items at once. Sequential scheduling: members of one parallel group, pairwise.
    /// Dataflow scheduling: every pair with no path between them.
    /// </summary>
    public static bool[,] MayOverlap(WorkflowModel model)
    {
        var count = model.Steps.Count;
        var overlap = new bool[count, count];
        for (var i = 0; i < count; i++)
        {
            // A foreach of degree 1 runs one item at a time.
            if (model.Steps[i].ForEach is { } forEach && forEach.MaxDegreeOfParallelism != 1)
            {
                overlap[i, i] = true;
            }
        }

        if (model.Scheduling == SchedulingKind.Sequential)
        {
            foreach (var stage in model.Stages)
            {
                foreach (var a in stage.Steps)
                {
                    foreach (var b in stage.Steps)
                    {
                        if (a != b)
                        {
                            overlap[a, b] = true;
                        }
                    }
                }
            }

            return overlap;
        }

        var reaches = Reachability(model);
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < count; j++)
            {
                if (i != j && !reaches[i, j] && !reaches[j, i])
                {
                    overlap[i, j] = true;
                }
            }
        }

        return overlap;
    }

    /// <summary>The steps a step waits for directly: what it consumes, its foreach source and its [After] steps.</summary>
    public static IEnumerable<int> DirectDependencies(WorkflowModel model, int step)
    {
        var current = model.Steps[step];
        foreach (var argument in current.Arguments)
        {
            if (argument.Kind == ArgumentKind.StepOutput)
            {
                yield return argument.Source;
            }
            else if (argument.Kind == ArgumentKind.GroupOutput)
            {
                foreach (var member in model.Stages[argument.Source].Steps)
                {
                    yield return member;
                }
            }
        }

        if (current.ForEach is { SourceKind: ArgumentKind.StepOutput } forEach)
        {
            yield return forEach.Source;
        }
        else if (current.ForEach is { SourceKind: ArgumentKind.GroupOutput } groupSource)
        {
            foreach (var member in model.Stages[groupSource.Source].Steps)
            {
                yield return member;
            }
        }

        foreach (var after in current.After)
        {
            yield return after;
        }
    }

    // reaches[i, j]: step j waits, directly or not, for step i. A member of a group waits for what any member
    // of its group waits for, since the group starts together.
    private static bool[,] Reachability(WorkflowModel model)
    {
        var count = model.Steps.Count;
        var reaches = new bool[count, count];
        for (var j = 0; j < count; j++)
        {
            foreach (var member in model.Stages[model.Steps[j].Stage].Steps)
            {
                foreach (var dependency in DirectDependencies(model, member))
                {
                    if (model.Steps[dependency].Stage != model.Steps[j].Stage)
                    {
                        reaches[dependency, j] = true;
                    }
                }
            }
        }

        for (var k = 0; k < count; k++)
        {
            for (var i = 0; i < count; i++)
            {
                if (!reaches[i, k])
                {
                    continue;
                }

                for (var j = 0; j < count; j++)
                {
                    if (reaches[k, j])
                    {
                        reaches[i, j] = true;
                    }
                }
            }
        }

        return reaches;
    }
}
