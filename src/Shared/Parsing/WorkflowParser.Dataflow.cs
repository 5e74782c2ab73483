using Flows.Analyzers;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

// Dataflow scheduling: [After] edges and the cycle check (FLOW006, FLOW009).
namespace Flows.Generator.Parsing;

internal static partial class WorkflowParser
{
    private sealed partial class Parser
    {
        // [After]: an ordering edge without data.
        private void BindAfter(StepDraft[] steps, StepDraft step)
        {
            foreach (var attribute in step.AfterAttributes)
            {
                var argument = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0] : default;
                var location = attribute.ArgumentLocation(null, 0, _cancellationToken);
                if (argument.Kind == TypedConstantKind.Error || attribute.ConstructorArguments.Length != 1)
                {
                    CannotGenerate(DiagnosticIds.InvalidOption, location, step.Method.Name, "After", "it needs the constant name of a step, such as nameof(Step)");
                    continue;
                }

                if (argument.Value is not string { Length: > 0 } name)
                {
                    Report(DiagnosticIds.InvalidOption, location, step.Method.Name, "After", "it names no step; write [After(nameof(Step))]");
                    continue;
                }

                var index = FindStep(steps, name);
                if (index < 0)
                {
                    Report(DiagnosticIds.InvalidOption, location, step.Method.Name, "After", $"'{name}' is not a step of workflow '{_type.Name}'");
                }
                else if (index == step.Index)
                {
                    Report(DiagnosticIds.StepOrder, location, step.Method.Name, name, "a step cannot run after itself");
                }
                else
                {
                    step.After.Add(index);
                    CheckOrder(step, steps[index], location, name);
                }
            }
        }

        // FLOW006 under Dataflow scheduling: the steps must form an acyclic graph. Groups start together, so
        // the graph is drawn between stages.
        private void CheckCycles(StepDraft[] steps, List<StageDraft> stages)
        {
            var state = new int[stages.Count]; // 0 unvisited, 1 on the path, 2 done
            var path = new List<int>();
            for (var i = 0; i < stages.Count; i++)
            {
                if (state[i] == 0 && Visit(i))
                {
                    return;
                }
            }

            bool Visit(int stage)
            {
                state[stage] = 1;
                path.Add(stage);
                foreach (var member in stages[stage].Steps)
                {
                    foreach (var dependency in steps[member].Dependencies)
                    {
                        var target = steps[dependency].Stage;
                        if (target == stage)
                        {
                            continue; // FLOW001 already.
                        }

                        if (state[target] == 1)
                        {
                            // path[start] waits for path[start + 1], …, and the last one waits for path[start] again.
                            var start = path.IndexOf(target);
                            var cycle = path.Skip(start).Append(target).Select(s => Describe(stages[s], steps)).ToArray();
                            var first = steps[stages[target].Steps[0]];
                            Report(
                                DiagnosticIds.StepOrder,
                                first.Method.NameLocation(),
                                first.Method.Name,
                                cycle[1],
                                "the steps wait for each other in a cycle: " + string.Join(" → ", cycle));
                            return true;
                        }

                        if (state[target] == 0 && Visit(target))
                        {
                            return true;
                        }
                    }
                }

                path.RemoveAt(path.Count - 1);
                state[stage] = 2;
                return false;
            }
        }

        private static string Describe(StageDraft stage, StepDraft[] steps) =>
            stage.Group ?? steps[stage.Steps[0]].Method.Name;
    }
}
