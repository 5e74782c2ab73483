using Flows.Generator.Model;

namespace Flows.Generator.Emitting;

internal static partial class WorkflowEmitter
{
    private sealed partial class Emitter
    {
        // A group hands its members a token of its own when the group may cancel them — on the first failure
        // (fail-fast), the first success (first-success) or its timeout — and some member can observe it: one
        // that takes a token, or a synchronous one that must not start once the group is cancelled.
        private bool NeedsGroupCancellation(StageModel stage) =>
            stage.TimeoutMilliseconds > 0
            || (stage.Failure is GroupFailure.FailFast or GroupFailure.FirstSuccess
                && stage.Steps.Select(index => _model.Steps[index]).Any(step => !step.IsAwaitable
                    || step.ForEach is not null
                    || HasResilience(step)
                    || step.Arguments.Any(argument => argument.Kind == ArgumentKind.CancellationToken)));

        private string GroupValueType(StageModel stage) =>
            stage.Steps.Select(index => _model.Steps[index].ValueType).First(type => type is not null)!;

        private void WriteGroup(StageModel stage, int stageIndex, RunBody body)
        {
            var number = (stageIndex + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var members = stage.Steps.Select(index => _model.Steps[index]).ToArray();
            var policy = stage.Failure.ToString();
            var details = policy;
            if (stage.TimeoutMilliseconds > 0)
            {
                details += $", at most {stage.TimeoutMilliseconds} ms";
            }

            if (stage.MinSuccessCount > 0)
            {
                details += $", at least {stage.MinSuccessCount} must succeed";
            }

            _writer.Line($"// Stage {number}: parallel group \"{Identifiers.Comment(stage.Group!)}\" ({details}): {string.Join(", ", members.Select(step => step.MethodName))}");
            WriteStageGate();

            if (stage.Failure == GroupFailure.FirstSuccess)
            {
                _writer.Line($"{GroupValueType(stage)} {Identifiers.Escape(_groupLocals[stageIndex])};");
            }
            else
            {
                foreach (var member in members.Where(member => member.HasValue))
                {
                    _writer.Line($"{member.OutputType} {Local(member)};");
                }
            }

            var cancellation = NeedsGroupCancellation(stage) ? $"__cancellation{number}" : null;
            var token = cancellation is null ? _runToken : cancellation + ".Token";
            if (cancellation is not null)
            {
                _writer.Line(stage.TimeoutMilliseconds > 0
                    ? $"var {cancellation} = global::Flows.Internal.TimedCancellation.Create({_runToken}, {stage.TimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)});"
                    : $"var {cancellation} = global::Flows.Internal.LinkedCancellation.Create({_runToken});");

                _writer.Open("try");
            }

            for (var i = 0; i < members.Length; i++)
            {
                WriteMemberStart(members[i], token, separate: i < members.Length - 1, body);
            }

            var tasks = members.Select(member => _taskLocals[IndexOf(member)]).ToArray();
            _writer.Line();

            // Fail-fast and wait-all groups whose members all completed at once need no waiting at all.
            var fastPath = stage.Failure is GroupFailure.FailFast or GroupFailure.WaitAll && stage.TimeoutMilliseconds == 0;
            var block = fastPath ? "__block" : "__block" + number;
            if (fastPath)
            {
                _writer.Open($"if ({string.Join(" || ", tasks.Select(task => $"!{task}.IsCompletedSuccessfully"))})");
            }

            var blockArguments = new List<string>
            {
                $"global::Flows.FailurePolicy.{policy}",
                members.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                cancellation is null ? "null" : cancellation + ".Source",
                _runToken,
            };
            if (!fastPath)
            {
                blockArguments.Add($"group: {Identifiers.StringLiteral(stage.Group!)}");
            }

            if (stage.TimeoutMilliseconds > 0)
            {
                blockArguments.Add($"timeoutMilliseconds: {stage.TimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }

            if (stage.MinSuccessCount > 0)
            {
                blockArguments.Add($"minSuccessCount: {stage.MinSuccessCount.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }

            if (stage.TimeoutMilliseconds > 0)
            {
                // The block reads lateness from the clock, counted from when the group's timer started.
                blockArguments.Add($"deadline: {cancellation}.Deadline");
            }

            // The fast path's block is nobody's after WhenAll: it comes from, and goes back to, a pool.
            _writer.Line(fastPath
                ? $"var {block} = global::Flows.Internal.ParallelBlock.Rent({string.Join(", ", blockArguments)});"
                : $"var {block} = new global::Flows.Internal.ParallelBlock({string.Join(", ", blockArguments)});");
            for (var i = 0; i < members.Length; i++)
            {
                _writer.Line(MemberKind(members[i], body) is ReturnKind.Task or ReturnKind.TaskOfT
                    ? $"{block}.Add({tasks[i]});"
                    : $"{tasks[i]} = {block}.Add({tasks[i]});");
            }

            _writer.Line($"await {block}.WhenAll(){ConfigureAwait};");
            if (fastPath)
            {
                _writer.Close();
            }

            _writer.Line();
            WriteGroupOutputs(stage, stageIndex, members, tasks, block, body);

            if (cancellation is not null)
            {
                _writer.Close();
                _writer.Open("finally");
                _writer.Line($"{cancellation}.Dispose();");
                _writer.Close();
            }
        }

        private void WriteGroupOutputs(StageModel stage, int stageIndex, StepModel[] members, string[] tasks, string block, RunBody body)
        {
            if (stage.Failure == GroupFailure.FirstSuccess)
            {
                // The group's value is the winner's.
                _writer.Line($"{Identifiers.Escape(_groupLocals[stageIndex])} = {block}.Winner switch");
                _writer.Line("{");
                _writer.Indent();
                for (var i = 0; i < members.Length; i++)
                {
                    if (members[i].ValueType is not null)
                    {
                        _writer.Line($"{i.ToString(System.Globalization.CultureInfo.InvariantCulture)} => {tasks[i]}.Result,");
                    }
                }

                _writer.Line("_ => throw new global::System.InvalidOperationException(\"The group completed without a winner.\"),");
                _writer.Unindent();
                _writer.Line("};");
                return;
            }

            for (var i = 0; i < members.Length; i++)
            {
                var kind = MemberKind(members[i], body);
                if (stage.Failure == GroupFailure.ContinueOnError)
                {
                    if (members[i].HasValue)
                    {
                        _writer.Line($"{Local(members[i])} = {block}.OutcomeOf({tasks[i]});");
                    }
                }
                else if (members[i].HasValue)
                {
                    _writer.Line($"{Local(members[i])} = {tasks[i]}.Result;");
                }
                else if (kind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfT)
                {
                    _writer.Line($"{tasks[i]}.GetAwaiter().GetResult();");
                }
            }
        }
    }
}
