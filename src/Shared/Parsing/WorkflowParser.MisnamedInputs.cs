using Flows.Analyzers;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parsing;

internal static partial class WorkflowParser
{
    private sealed partial class Parser
    {
        // FLOW014: a parameter that binds to nothing becomes a RunAsync input without a word. When an output of a type
        // the parameter accepts, ready before its step, is used by nothing (not a step, not a foreach, not the result),
        // the parameter was most likely meant to take it: renamed, or never named after it. Runs after binding, so
        // every consumer is known; a warning, so the workflow is still generated.
        private void CheckMisnamedInputs(StepDraft[] steps, List<StageDraft> stages, List<InputDraft> inputs)
        {
            if (_cannotGenerate is not null)
            {
                return;
            }

            var unused = UnusedOutputs(steps, stages);
            if (unused.Count == 0)
            {
                return;
            }

            // Each parameter that declares an input is matched with the first unused output it could take. An input
            // that some parameter declares with no such output is a real input: its other parameters share it.
            var matches = new List<(ArgumentDraft Argument, StepDraft Consumer, StepDraft Producer)>();
            var genuine = new bool[inputs.Count];
            foreach (var consumer in steps)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                HashSet<int>? waitingForConsumer = null;

                // One output per parameter of a step: two parameters renamed after one output would collide.
                HashSet<int>? matched = null;
                foreach (var argument in consumer.Arguments)
                {
                    // A parameter still being typed has no name: nothing to call misnamed yet.
                    if (argument.Kind != ArgumentKind.Input || argument.Source < 0 || argument.Parameter.Name.Length == 0)
                    {
                        continue;
                    }

                    StepDraft? match = null;
                    if (argument.Parameter.Type.TypeKind != TypeKind.Error)
                    {
                        foreach (var producer in unused)
                        {
                            if (matched?.Contains(producer.Index) != true
                                && CanRunBefore(steps, stages, producer, consumer, ref waitingForConsumer)
                                && Accepts(argument.Parameter.Type, producer.OutputType!))
                            {
                                match = producer;
                                break;
                            }
                        }
                    }

                    if (match is null)
                    {
                        genuine[argument.Source] = true;
                    }
                    else
                    {
                        (matched ??= new HashSet<int>()).Add(match.Index);
                        matches.Add((argument, consumer, match));
                    }
                }
            }

            foreach (var (argument, consumer, producer) in matches)
            {
                // An input a foreach names as its source is an input on purpose.
                if (genuine[argument.Source] || inputs[argument.Source].ForEachConsumers.Count > 0)
                {
                    continue;
                }

                Report(
                    DiagnosticIds.MisnamedInput,
                    argument.Parameter.NameLocation(),
                    producer.Method.NameLocation(),
                    argument.Parameter.Name,
                    consumer.Method.Name,
                    producer.Method.Name,
                    producer.OutputType!.ToDisplayString(),
                    ParameterNames.ForOutput(producer.OutputName));
            }
        }

        // The steps whose output nothing reads, in declaration order: no parameter binds to it, no foreach reads its
        // items, and it is not what RunAsync returns. Members of a FirstSuccess group give their value through the
        // group, not on their own; a step without a value has no output.
        private List<StepDraft> UnusedOutputs(StepDraft[] steps, List<StageDraft> stages)
        {
            var used = new bool[steps.Length];
            foreach (var step in steps)
            {
                foreach (var argument in step.Arguments)
                {
                    if (argument.Kind == ArgumentKind.StepOutput && argument.Source >= 0)
                    {
                        used[argument.Source] = true;
                    }
                }

                if (step.ForEach is { SourceKind: ArgumentKind.StepOutput, Source: >= 0 } forEach)
                {
                    used[forEach.Source] = true;
                }
            }

            var unused = new List<StepDraft>();
            foreach (var step in steps)
            {
                if (!used[step.Index]
                    && step.OutputType is not null
                    && stages[step.Stage].FailurePolicy != GroupFailure.FirstSuccess
                    && !IsResult(steps, stages, step))
                {
                    unused.Add(step);
                }
            }

            return unused;
        }

        // What RunAsync returns (WorkflowModel.ResultSteps): the last stage's values, or under Dataflow the last
        // declared step's.
        private bool IsResult(StepDraft[] steps, List<StageDraft> stages, StepDraft step) =>
            IsDataflow ? step.Index == steps.Length - 1 : step.Stage == stages.Count - 1;

        // Whether the producer is one the consumer could have meant: an earlier stage under Sequential. Under Dataflow
        // a step declared before the consumer, outside its stage, that does not itself wait (directly or through
        // others) for the consumer's stage. Dataflow would also allow a step declared later, but then every input of
        // the first steps would be pointed at any unused output of its type further down: people declare what a step
        // consumes above it, and a renamed parameter keeps its place.
        private bool CanRunBefore(StepDraft[] steps, List<StageDraft> stages, StepDraft producer, StepDraft consumer, ref HashSet<int>? waitingForConsumer)
        {
            if (producer.Stage == consumer.Stage)
            {
                return false;
            }

            if (!IsDataflow)
            {
                return producer.Stage < consumer.Stage;
            }

            if (producer.Index > consumer.Index)
            {
                return false;
            }

            waitingForConsumer ??= StagesWaitingFor(steps, stages, consumer.Stage);
            return !waitingForConsumer.Contains(producer.Stage);
        }

        // The stages that wait for stage `start`, directly or through others (groups start together, so the graph
        // is drawn between stages as in CheckCycles).
        private static HashSet<int> StagesWaitingFor(StepDraft[] steps, List<StageDraft> stages, int start)
        {
            var waiting = new HashSet<int>();
            var queue = new Queue<int>();
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                var target = queue.Dequeue();
                foreach (var stage in stages)
                {
                    if (stage.Index == start || waiting.Contains(stage.Index))
                    {
                        continue;
                    }

                    foreach (var member in stage.Steps)
                    {
                        if (steps[member].Dependencies.Any(dependency => steps[dependency].Stage == target))
                        {
                            waiting.Add(stage.Index);
                            queue.Enqueue(stage.Index);
                            break;
                        }
                    }
                }
            }

            return waiting;
        }
    }
}
