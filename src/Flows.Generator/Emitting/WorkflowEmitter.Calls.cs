using Flows.Generator.Model;

namespace Flows.Generator.Emitting;

internal static partial class WorkflowEmitter
{
    /// <summary>How the orchestration calls a step: the expression and what it returns.</summary>
    /// <param name="Expression">The call, not awaited.</param>
    /// <param name="Kind">What the expression returns.</param>
    /// <param name="ValueType">The value it gives, once awaited; null for none.</param>
    /// <param name="MayThrowSynchronously">A non-async method returning a task may throw before returning it.</param>
    private sealed record CallShape(string Expression, ReturnKind Kind, string? ValueType, bool MayThrowSynchronously)
    {
        public bool IsAwaitable => Kind is ReturnKind.Task or ReturnKind.TaskOfT or ReturnKind.ValueTask or ReturnKind.ValueTaskOfT;
    }

    private sealed partial class Emitter
    {
        // The plan's decisions for a step (CallPlan): the emitter writes them, it does not make them.
        private StepCallPlan Plan(StepModel step) => _plans[IndexOf(step)];

        private bool HasResilience(StepModel step) => Plan(step).HasResilience;

        private bool CatchesFailure(StepModel step) => Plan(step).CatchesFailure;

        private bool UsesWrapper(StepModel step) => Plan(step).UsesWrapper;

        private CallShape CallOf(StepModel step, string token, RunBody body)
        {
            if (step.ForEach is { } forEach)
            {
                return new CallShape(ForEachInvocation(step, forEach, token, body.Observer), ReturnKind.ValueTaskOfT, step.OutputType, false);
            }

            if (body.Observer is { } observer)
            {
                return ObservedCall(step, token, observer);
            }

            if (UsesWrapper(step))
            {
                var arguments = step.Arguments.Where(IsCarriedByBody).Select(ArgumentExpression);
                if (WrapperTakesToken(step))
                {
                    arguments = arguments.Concat(new[] { token });
                }

                var wrapper = WrapperShape(step);
                return new CallShape($"{WrapperName(step)}({string.Join(", ", arguments)})", wrapper.Kind, wrapper.ValueType, false);
            }

            return InnerCall(step, token, ContextExpression(step));
        }

        // The call of a step's observed wrapper: what the observed orchestration calls instead of the step.
        private CallShape ObservedCall(StepModel step, string token, string observer)
        {
            var arguments = new[] { observer }
                .Concat(step.Arguments.Where(IsCarriedByBody).Select(ArgumentExpression))
                .Concat(new[] { token });
            var wrapper = WrapperShape(step);
            return new CallShape($"{ObservedWrapperName(step)}({string.Join(", ", arguments)})", wrapper.Kind, wrapper.ValueType, false);
        }

        // The step's own call, or its call under retry and timeout (told of retries through "observation" when observed).
        private CallShape InnerCall(StepModel step, string token, string context, bool inWrapper = false, string? observation = null)
        {
            // Inside a wrapper, values are the wrapper's parameters, named like the step's.
            Func<ArgumentModel, string> valueOf = inWrapper ? argument => Identifiers.Escape(argument.ParameterName) : ArgumentExpression;
            if (HasResilience(step))
            {
                var arguments = (CallCarriesWorkflow(step) ? new[] { "this" } : Enumerable.Empty<string>())
                    .Concat(step.Arguments.Where(IsCarriedByBody).Select(valueOf));
                var result = step.ValueType ?? NoResultType;
                return new CallShape(
                    $"global::Flows.Internal.Resilience.RunAsync<{result}, {CallName(step)}>(new {CallName(step)}({string.Join(", ", arguments)}), {PolicyName(step)}, {token}{(observation is null ? string.Empty : ", " + observation)})",
                    ReturnKind.ValueTaskOfT,
                    step.ValueType,
                    false);
            }

            var call = $"{ShadowedCallTarget(step)}{Identifiers.Escape(step.MethodName)}({string.Join(", ", step.Arguments.Select(argument => argument.Kind switch
            {
                ArgumentKind.CancellationToken => token,
                ArgumentKind.StepContext => context,
                _ => valueOf(argument),
            }))})";
            return new CallShape(call, step.ReturnKind, step.ValueType, step.IsAwaitable && !step.IsAsync);
        }

        private (ReturnKind Kind, string? ValueType) WrapperShape(StepModel step) => (Plan(step).WrapperKind, Plan(step).WrapperValueType);

        private bool Hops(StepModel step) => Plan(step).Hops;

        private bool WrapperTakesToken(StepModel step) => Plan(step).WrapperTakesToken;

        private string WrapperName(StepModel step) => Plan(step).WrapperName;

        private string ObservedWrapperName(StepModel step) => Plan(step).ObservedWrapperName;

        private static string CallName(StepModel step) => $"__{step.OutputName}Call";

        private static string PolicyName(StepModel step) => $"__{step.OutputName}Policy";

        private void WriteSingleStep(StepModel step, int stageIndex, RunBody body)
        {
            _writer.Line($"// Stage {stageIndex + 1}: {Describe(step)}");
            WriteStageGate();
            var call = CallOf(step, _runToken, body);
            var expression = call.IsAwaitable ? $"await {call.Expression}{ConfigureAwait}" : call.Expression;
            _writer.Line(step.HasValue ? $"var {Local(step)} = {expression};" : expression + ";");
        }

        private string Describe(StepModel step)
        {
            var text = step.MethodName;
            if (step.Retry is { } retry)
            {
                text += $", up to {retry.MaxAttempts} attempts";
            }

            if (step.TimeoutMilliseconds > 0)
            {
                text += $", each at most {step.TimeoutMilliseconds} ms";
            }

            if (CatchesFailure(step))
            {
                text += ", continues on error";
            }

            return text;
        }

        // What a member's call returns: a task or value task.
        private ReturnKind MemberKind(StepModel step, RunBody body) => CallOf(step, "_", body).Kind;

        private void WriteMemberStart(StepModel step, string token, bool separate, RunBody body)
        {
            var task = _taskLocals[IndexOf(step)];
            var call = CallOf(step, token, body);
            if (!call.MayThrowSynchronously)
            {
                // An async method never throws before returning its task.
                _writer.Line($"var {task} = {call.Expression};");
                return;
            }

            // A method that returns a task without being async may throw before returning one: that is a
            // failure of the member like any other, so the siblings are still waited for.
            _writer.Line($"{TaskTypeOf(call.Kind, call.ValueType)} {task};");
            _writer.Open("try");
            _writer.Line($"{task} = {call.Expression};");
            _writer.Close();
            _writer.Open("catch (global::System.Exception __exception)");
            var fromException = call.Kind switch
            {
                ReturnKind.Task => $"{TaskType}.FromException(__exception)",
                ReturnKind.TaskOfT => $"{TaskType}.FromException<{call.ValueType}>(__exception)",
                ReturnKind.ValueTask => $"{ValueTaskType}.FromException(__exception)",
                _ => $"{ValueTaskType}.FromException<{call.ValueType}>(__exception)",
            };
            _writer.Line($"{task} = {fromException};");
            _writer.Close();
            if (separate)
            {
                _writer.Line();
            }
        }

        private static string TaskTypeOf(ReturnKind kind, string? valueType) => kind switch
        {
            ReturnKind.Task => TaskType,
            ReturnKind.TaskOfT => $"{TaskType}<{valueType}>",
            ReturnKind.ValueTask => ValueTaskType,
            _ => $"{ValueTaskType}<{valueType}>",
        };

        private void WriteStepWrappers()
        {
            foreach (var step in _model.Steps)
            {
                if (UsesWrapper(step))
                {
                    _writer.Line();
                    WriteStepWrapper(step);
                }

                if (HasObservedRun && step.ForEach is null)
                {
                    _writer.Line();
                    WriteObservedWrapper(step);
                }

                if (HasResilience(step))
                {
                    _writer.Line();
                    WritePolicy(step, runOnThreadPool: Plan(step).RunsPolicyOnThreadPool);
                    _writer.Line();
                    WriteCallStruct(step, CallName(step), itemType: null);
                }
            }
        }

        private void WriteStepWrapper(StepModel step)
        {
            var (kind, value) = WrapperShape(step);
            var isAsync = kind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfT;
            var returnType = kind switch
            {
                ReturnKind.ValueTaskOfT => $"{ValueTaskType}<{value}>",
                ReturnKind.ValueTask => ValueTaskType,
                ReturnKind.Value => value!,
                _ => "void",
            };
            var parameters = step.Arguments
                .Where(IsCarriedByBody)
                .Select(argument => $"{argument.Type} {Identifiers.Escape(argument.ParameterName)}");
            if (WrapperTakesToken(step))
            {
                parameters = parameters.Concat(new[] { $"{CancellationTokenType} __cancellationToken" });
            }

            _writer.Line(GeneratedCode);
            _writer.Open($"private {_static}{(isAsync ? "async " : string.Empty)}{returnType} {WrapperName(step)}({string.Join(", ", parameters)})");
            if (Hops(step))
            {
                _writer.Line("// A synchronous member of a parallel group runs on the thread pool, and not at all once the group is cancelled.");
                _writer.Line("await default(global::Flows.Internal.ThreadPoolHop);");
                _writer.Line("__cancellationToken.ThrowIfCancellationRequested();");
            }

            if (Plan(step).CreatesContext)
            {
                _writer.Line($"var __context = {ContextExpression(step)};");
            }

            var inner = InnerCall(step, "__cancellationToken", "__context", inWrapper: true);
            var expression = inner.IsAwaitable ? $"await {inner.Expression}{ConfigureAwait}" : inner.Expression;
            if (!CatchesFailure(step))
            {
                WriteHookedCall(step, expression, hookTarget: string.Empty, returnOf: static value => value);
                _writer.Close();
                return;
            }

            // Continue on error: a failure becomes a failed outcome; the run's cancellation still ends the run.
            _writer.Open("try");
            WriteHookedCall(step, expression, hookTarget: string.Empty, returnOf: value => $"global::Flows.Outcome<{inner.ValueType}>.Success({value})");
            _writer.Close();
            if (inner.ValueType is null)
            {
                _writer.Open("catch (global::System.Exception) when (!__cancellationToken.IsCancellationRequested)");
                _writer.Line("// The failure does not fail the run; the step has no value to report it in.");
            }
            else
            {
                _writer.Open("catch (global::System.Exception __exception) when (!__cancellationToken.IsCancellationRequested)");
                _writer.Line($"return global::Flows.Outcome<{inner.ValueType}>.Failure(__exception);");
            }

            _writer.Close();
            _writer.Close();
        }

        // The step as the observed orchestration runs it: what its plain wrapper does (thread-pool hop, hooks,
        // continue-on-error), between the start and the end of its observation.
        private void WriteObservedWrapper(StepModel step)
        {
            var (kind, value) = WrapperShape(step);
            var isAsync = kind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfT;
            var returnType = kind switch
            {
                ReturnKind.ValueTaskOfT => $"{ValueTaskType}<{value}>",
                ReturnKind.ValueTask => ValueTaskType,
                ReturnKind.Value => value!,
                _ => "void",
            };
            var parameters = new[] { "global::Flows.Internal.RunObserver __observer" }
                .Concat(step.Arguments.Where(IsCarriedByBody).Select(argument => $"{argument.Type} {Identifiers.Escape(argument.ParameterName)}"))
                .Concat(new[] { $"{CancellationTokenType} __cancellationToken" });

            var stage = _model.Stages[step.Stage];
            var group = stage.IsGroup ? Identifiers.StringLiteral(stage.Group!) : "null";
            var stageNumber = (step.Stage + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

            _writer.Line($"/// <summary>Runs <see cref=\"{Identifiers.XmlEscape(Identifiers.Escape(step.MethodName))}\"/> in an observed run: traced, measured and recorded on the timeline.</summary>");
            _writer.Line(GeneratedCode);
            _writer.Open($"private {_static}{(isAsync ? "async " : string.Empty)}{returnType} {ObservedWrapperName(step)}({string.Join(", ", parameters)})");
            if (Hops(step))
            {
                _writer.Line("await default(global::Flows.Internal.ThreadPoolHop);");
                _writer.Line("__cancellationToken.ThrowIfCancellationRequested();");
            }

            _writer.Line($"var __step = __observer.StartStep({Identifiers.StringLiteral(step.MethodName)}, {stageNumber}, {group});");
            _writer.Open("try");
            if (Plan(step).CreatesContext)
            {
                _writer.Line($"var __context = {ContextExpression(step)};");
            }

            var inner = InnerCall(step, "__cancellationToken", "__context", inWrapper: true, observation: "__step");
            var expression = inner.IsAwaitable ? $"await {inner.Expression}{ConfigureAwait}" : inner.Expression;
            var catchesFailure = CatchesFailure(step);
            WriteHookedCall(step, expression, hookTarget: string.Empty, returnOf: value => catchesFailure ? $"global::Flows.Outcome<{inner.ValueType}>.Success({value})" : value);
            _writer.Close();
            if (catchesFailure)
            {
                // Continue on error: the failure is recorded and becomes a failed outcome; the run's cancellation still ends the run.
                _writer.Open("catch (global::System.Exception __exception) when (!__cancellationToken.IsCancellationRequested)");
                _writer.Line("__step.Fail(__exception);");
                if (inner.ValueType is not null)
                {
                    _writer.Line($"return global::Flows.Outcome<{inner.ValueType}>.Failure(__exception);");
                }

                _writer.Close();
            }

            _writer.Open("catch (global::System.Exception __exception)");
            _writer.Line("__step.Fail(__exception);");
            _writer.Line("throw;");
            _writer.Close();
            _writer.Open("finally");
            _writer.Line("__step.End();");
            _writer.Close();
            _writer.Close();
        }

        private void WritePolicy(StepModel step, bool runOnThreadPool)
        {
            var arguments = new List<string>
            {
                Identifiers.StringLiteral(_model.Type.Name),
                Identifiers.StringLiteral(step.MethodName),
            };
            if (step.Retry is { } retry)
            {
                arguments.Add($"maxAttempts: {retry.MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                if (retry.DelayMilliseconds > 0)
                {
                    arguments.Add($"delayMilliseconds: {retry.DelayMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                }

                if (retry.Backoff != 0)
                {
                    arguments.Add($"backoff: global::Flows.Backoff.{(retry.Backoff == 1 ? "Linear" : "Exponential")}");
                }

                if (retry.Jitter)
                {
                    arguments.Add("jitter: true");
                }

                if (retry.RetryOn.Count > 0)
                {
                    arguments.Add($"retryOn: static exception => exception is {string.Join(" or ", retry.RetryOn)}");
                }
            }

            if (step.TimeoutMilliseconds > 0)
            {
                arguments.Add($"timeoutMilliseconds: {step.TimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }

            if (runOnThreadPool)
            {
                arguments.Add("runOnThreadPool: true");
            }

            _writer.Line(GeneratedCode);
            _writer.Line($"private static readonly global::Flows.Internal.StepPolicy {PolicyName(step)} = new(");
            _writer.Indent();
            for (var i = 0; i < arguments.Count; i++)
            {
                _writer.Line(arguments[i] + (i == arguments.Count - 1 ? ");" : ","));
            }

            _writer.Unindent();
        }

        // A struct that calls the step once, with the arguments it carries: what Resilience retries, and what a
        // foreach runs per item.
        private void WriteCallStruct(StepModel step, string name, string? itemType)
        {
            var result = step.ValueType ?? NoResultType;
            var carried = step.Arguments.Where(IsCarriedByBody).ToArray();
            var fields = (CallCarriesWorkflow(step) ? new[] { (Type: TypeReference(_model.Type), Name: "__workflow") } : Enumerable.Empty<(string Type, string Name)>())
                .Concat(carried.Select(argument => (Type: argument.Type, Name: Identifiers.Field(argument.ParameterName))));
            if (itemType is not null)
            {
                fields = fields.Concat(new[] { (Type: itemType, Name: "__item") });
            }

            var fieldList = fields.ToArray();
            _writer.Line($"/// <summary>Calls <see cref=\"{Identifiers.XmlEscape(step.MethodName)}\"/> once, with the step's arguments.</summary>");
            _writer.Line(GeneratedCode);
            _writer.Open($"private readonly struct {name} : global::Flows.Internal.IStepCall<{result}>");
            WriteFieldsAndConstructor(name, fieldList);

            var call = $"{CallTarget(step)}{Identifiers.Escape(step.MethodName)}({string.Join(", ", step.Arguments.Select(argument => argument.Kind switch
            {
                ArgumentKind.CancellationToken => "__cancellationToken",
                ArgumentKind.StepContext => "__context",
                ArgumentKind.Item => "__item",
                _ => Identifiers.Field(argument.ParameterName),
            }))})";
            WriteAdaptedInvoke($"in global::Flows.StepContext __context, {CancellationTokenType} __cancellationToken", result, step.ReturnKind, call);
            _writer.Close();
        }

        // A struct that calls a step holds the workflow instance only when the step is an instance method.
        private bool CallCarriesWorkflow(StepModel step) => !_model.IsStatic && !step.IsStatic;

        // How a struct nested in the workflow names the step: through the instance it holds, or through the type for a
        // static step (a plain name could resolve to a member of the struct itself).
        private string CallTarget(StepModel step) =>
            _model.IsStatic || step.IsStatic ? TypeReference(_model.Type) + "." : "__workflow.";

        // An input may be named like a step method (a RunAsync parameter keeps the user's name): in the run body that name
        // is the parameter, so the call names the method through the instance or the type.
        private string ShadowedCallTarget(StepModel step) =>
            !_inputParameters.Contains(step.MethodName)
                ? string.Empty
                : _model.IsStatic || step.IsStatic ? TypeReference(_model.Type) + "." : "this.";

        private void WriteFieldsAndConstructor(string name, (string Type, string Name)[] fields)
        {
            foreach (var (type, field) in fields)
            {
                _writer.Line($"private readonly {type} {field};");
            }

            if (fields.Length == 0)
            {
                return;
            }

            _writer.Line();
            _writer.Open($"public {name}({string.Join(", ", fields.Select(field => $"{field.Type} {field.Name}"))})");
            foreach (var (_, field) in fields)
            {
                _writer.Line($"this.{field} = {field};");
            }

            _writer.Close();
            _writer.Line();
        }

        // InvokeAsync returning ValueTask<result> for a step call of any return kind, without allocating.
        private void WriteAdaptedInvoke(string parameters, string result, ReturnKind kind, string call)
        {
            var signature = $"public {ValueTaskType}<{result}> InvokeAsync({parameters})";
            if (kind == ReturnKind.Void)
            {
                _writer.Open(signature);
                _writer.Line(call + ";");
                _writer.Line("return default;");
                _writer.Close();
                return;
            }

            _writer.Line(signature + " =>");
            _writer.Indent();
            _writer.Line(kind switch
            {
                ReturnKind.Task or ReturnKind.ValueTask => $"{NoResultType}.From({call});",
                ReturnKind.ValueTaskOfT => call + ";",
                _ => $"new({call});",
            });
            _writer.Unindent();
        }
    }
}
