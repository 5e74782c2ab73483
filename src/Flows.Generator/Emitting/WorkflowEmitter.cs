using System.Text;
using Flows.Generator.Model;

namespace Flows.Generator.Emitting;

/// <summary>
/// Turns a <see cref="WorkflowModel"/> into the source of its partial class: a pure function of the model.
/// </summary>
internal static partial class WorkflowEmitter
{
    private static readonly string GeneratedCode =
        $"[global::System.CodeDom.Compiler.GeneratedCodeAttribute(\"Flows.Generator\", \"{typeof(WorkflowEmitter).Assembly.GetName().Version}\")]";
    private const string CancellationTokenType = "global::System.Threading.CancellationToken";
    private const string ValueTaskType = "global::System.Threading.Tasks.ValueTask";
    private const string TaskType = "global::System.Threading.Tasks.Task";
    private const string ConfigureAwait = ".ConfigureAwait(false)";

    /// <summary>Tuple element names the compiler refuses at any position.</summary>
    private static readonly HashSet<string> s_disallowedTupleNames = new(StringComparer.Ordinal)
    {
        "CompareTo", "Deconstruct", "Equals", "GetHashCode", "GetType", "Rest", "ToString",
    };

    /// <summary>
    /// The locals and parameters the generated code declares under fixed names. A step's task is held in
    /// <c>__{output}</c>, which must not be one of these (a step named <c>Block</c> would otherwise meet <c>__block</c>).
    /// </summary>
    private static readonly HashSet<string> s_fixedLocals = new(StringComparer.Ordinal)
    {
        "__attempt", "__block", "__cancellation", "__cancellationToken", "__context", "__exception", "__flow", "__index", "__input", "__instanceId",
        "__item", "__observer", "__output", "__result", "__run", "__runToken", "__started", "__step", "__workflow",
    };

    public static (string HintName, string Source) Emit(WorkflowModel model)
    {
        var emitter = new Emitter(model);
        return (HintNameOf(model), emitter.Write());
    }

    /// <summary>
    /// <c>{Namespace}.{Outer}+{Type}.Flows.g.cs</c>: nested types joined with <c>+</c> (as in metadata names), so that a
    /// namespace and a containing type of the same spelling never give one name; <c>@</c> of keyword names dropped,
    /// and anything a file name should not hold replaced with <c>_</c>.
    /// </summary>
    public static string HintNameOf(WorkflowModel model)
    {
        var name = new StringBuilder();
        if (model.Namespace is not null)
        {
            AppendName(name, model.Namespace).Append('.');
        }

        foreach (var type in model.ContainingTypes)
        {
            AppendTypeName(name, type).Append('+');
        }

        AppendTypeName(name, model.Type);
        return name.Append(".Flows.g.cs").ToString();

        static StringBuilder AppendTypeName(StringBuilder builder, TypeDeclarationModel type) =>
            type.TypeParameters.Count == 0 ? AppendName(builder, type.Name) : AppendName(builder, type.Name).Append('`').Append(type.TypeParameters.Count);

        static StringBuilder AppendName(StringBuilder builder, string name)
        {
            foreach (var c in name)
            {
                if (c == '@')
                {
                    continue;
                }

                builder.Append(char.IsLetterOrDigit(c) || c is '.' or '_' ? c : '_');
            }

            return builder;
        }
    }

    private sealed partial class Emitter
    {
        private readonly WorkflowModel _model;
        private readonly SourceWriter _writer = new();
        private readonly string[] _outputLocals;
        private readonly string[] _taskLocals;
        private readonly string[] _inputParameters;
        private readonly string _controlParameter;
        private readonly string _timelineParameter;
        private readonly string _tokenParameter;
        private readonly string _runToken;
        private readonly string[] _groupLocals;
        private readonly string _static;

        public Emitter(WorkflowModel model)
        {
            _model = model;
            _static = model.IsStatic ? "static " : string.Empty;

            // Names the generated code declares must not hide a step method or each other.
            var taken = new HashSet<string>(StringComparer.Ordinal) { "RunAsync", "MermaidDiagram", "OnStepStarting", "OnStepCompleted", "OnStepFailed", model.Type.Name };
            foreach (var step in model.Steps)
            {
                taken.Add(step.MethodName);
            }

            _inputParameters = model.Inputs.Select(input => input.Name).ToArray();
            foreach (var input in _inputParameters)
            {
                taken.Add(input);
            }

            _controlParameter = Claim(taken, "control", "flowControl");
            _timelineParameter = Claim(taken, "timeline", "executionTimeline");
            _tokenParameter = Claim(taken, "cancellationToken", "runCancellationToken");
            _outputLocals = model.Steps.Select(step => Claim(taken, Identifiers.CamelCase(step.OutputName), Identifiers.CamelCase(step.OutputName) + "Value")).ToArray();
            _taskLocals = _outputLocals.Select(local => s_fixedLocals.Contains("__" + local) ? "__" + local + "Step" : "__" + local).ToArray();
            _groupLocals = model.Stages
                .Select(stage => stage.Failure == GroupFailure.FirstSuccess ? Claim(taken, GroupLocal(stage.Group!), "firstSuccess") : string.Empty)
                .ToArray();
            _runToken = model.TimeoutMilliseconds > 0 ? "__runToken" : _tokenParameter;
            _plans = CallPlan.For(model);
        }

        // How each step is called, in model order: decided before any text is written.
        private readonly System.Collections.Immutable.ImmutableArray<StepCallPlan> _plans;

        private bool HasHooks => _model.Hooks != HookKinds.None;

        // A workflow without steps has nothing to observe: every overload runs the one plain body.
        private bool HasObservedRun => _model.Stages.Count > 0;

        // A group's name may be anything: a local named after it must be an identifier and must not start with the
        // prefix of the generated locals.
        private static string GroupLocal(string group)
        {
            var name = Identifiers.CamelCase(Identifiers.Sanitize(group));
            return name.StartsWith("__", StringComparison.Ordinal) ? "firstSuccess" : name;
        }

        private static string Claim(HashSet<string> taken, string preferred, string fallback)
        {
            var name = preferred;
            for (var i = 2; !taken.Add(name); i++)
            {
                name = i == 2 ? fallback : fallback + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return name;
        }

        public string Write()
        {
            _writer.Line("// <auto-generated/>");
            _writer.Line("#nullable enable");
            _writer.Line("#pragma warning disable CS0612, CS0618");
            if (NameWarnings() is { } nameWarnings)
            {
                // The user's declaration already carries these warnings about the type's name; repeating the name
                // here must not report them a second time, in a file the user cannot edit.
                _writer.Line("#pragma warning disable " + nameWarnings);
            }

            _writer.Line();

            if (_model.Namespace is not null)
            {
                _writer.Open("namespace " + _model.Namespace);
            }

            foreach (var type in _model.ContainingTypes)
            {
                _writer.Open(DeclarationLine(type));
            }

            _writer.Open(DeclarationLine(_model.Type));
            WriteMermaidDiagram();
            _writer.Line();
            WriteRunAsyncOverloads();
            _writer.Line();
            WriteRunCore(RunBody.Plain);
            if (HasObservedRun)
            {
                _writer.Line();
                WriteRunCore(RunBody.Observed);
            }

            WriteStepWrappers();
            WriteForEachBodies();
            if (IsDataflow)
            {
                WriteDataflowNodes();
            }

            _writer.Line();
            WriteHookDeclarations();
            if (_model.Durable is { } durable)
            {
                _writer.Line();
                WriteDurable(durable);
            }

            _writer.Close();

            for (var i = 0; i < _model.ContainingTypes.Count; i++)
            {
                _writer.Close();
            }

            if (_model.Namespace is not null)
            {
                _writer.Close();
            }

            return _writer.ToString();
        }

        /// <summary>The warnings the compiler gives a type declaration for its name alone: CS8981 (lower-case ASCII), CS8860 ('record').</summary>
        private string? NameWarnings()
        {
            var names = _model.ContainingTypes.Append(_model.Type).SelectMany(type => type.TypeParameters.Prepend(type.Name)).ToArray();
            var warnings = new List<string>();
            if (names.Any(static name => name.Length > 0 && name.All(static c => c is >= 'a' and <= 'z')))
            {
                warnings.Add("CS8981");
            }

            if (names.Any(static name => name == "record"))
            {
                warnings.Add("CS8860");
            }

            return warnings.Count == 0 ? null : string.Join(", ", warnings);
        }

        private static string DeclarationLine(TypeDeclarationModel type)
        {
            var parameters = type.TypeParameters.Count == 0 ? string.Empty : "<" + string.Join(", ", type.TypeParameters.Select(Identifiers.EscapeTypeName)) + ">";
            return $"partial {type.Keyword} {Identifiers.EscapeTypeName(type.Name)}{parameters}";
        }

        private void WriteMermaidDiagram()
        {
            _writer.Line("/// <summary>The workflow's graph as a Mermaid flowchart: its stages in order, its parallel groups and the data each step consumes.</summary>");
            _writer.Line(GeneratedCode);
            _writer.Line("public const string MermaidDiagram =");
            _writer.Indent();
            var lines = MermaidWriter.Write(_model);
            for (var i = 0; i < lines.Count; i++)
            {
                _writer.Line(Identifiers.StringLiteral(lines[i] + "\n") + (i == lines.Count - 1 ? ";" : " +"));
            }

            _writer.Unindent();
        }

        private void WriteRunCore(RunBody body)
        {
            var resultType = ResultType();
            var timeline = body.IsObserved ? $"global::Flows.ExecutionTimeline? {_timelineParameter}, " : string.Empty;
            var parameters = $"{InputParameterList()}global::Flows.FlowControl? {_controlParameter}, {timeline}{CancellationTokenType} {_tokenParameter}";
            _writer.Line(GeneratedCode);
            if (_model.Stages.Count == 0)
            {
                _writer.Open($"private {_static}{resultType} {body.MethodName}({parameters})");
                _writer.Line($"return {_tokenParameter}.IsCancellationRequested ? {ValueTaskType}.FromCanceled({_tokenParameter}) : default;");
                _writer.Close();
                return;
            }

            // The run's own state machine is pooled: a run that suspends allocates only what its steps do.
            var builder = resultType == ValueTaskType
                ? "global::System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder"
                : "global::System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>";
            _writer.Line($"[global::System.Runtime.CompilerServices.AsyncMethodBuilder(typeof({builder}))]");
            _writer.Open($"private {_static}async {resultType} {body.MethodName}({parameters})");
            if (!body.IsObserved && HasObservedRun)
            {
                // Telemetry is looked at once per run: while nothing listens, the run goes on below as if Flows had none.
                var call = $"{RunBody.Observed.MethodName}({InputArgumentList()}{_controlParameter}, null, {_tokenParameter}){ConfigureAwait}";
                _writer.Open("if (global::Flows.Internal.RunObserver.IsEnabled)");
                if (resultType == ValueTaskType)
                {
                    _writer.Line($"await {call};");
                    _writer.Line("return;");
                }
                else
                {
                    _writer.Line($"return await {call};");
                }

                _writer.Close();
                _writer.Line();
            }

            if (body.Observer is { } observer)
            {
                // The same orchestration as __RunAsync, each step reporting its start and end to the observer.
                _writer.Line($"var {observer} = global::Flows.Internal.RunObserver.Start({Identifiers.StringLiteral(_model.Type.Name)}, {_timelineParameter});");
                _writer.Open("try");
            }

            var timeout = _model.TimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_model.TimeoutMilliseconds > 0)
            {
                _writer.Line($"// The whole run may take at most {timeout} ms: then every step's token is cancelled, and once the running");
                _writer.Line("// steps have stopped the run fails with a TimeoutException, even if they ignored their token.");
                _writer.Line($"var __run = global::Flows.Internal.TimedCancellation.Create({_tokenParameter}, {timeout});");
                _writer.Line($"var {_runToken} = __run.Token;");
                _writer.Open("try");
            }

            for (var i = 0; i < _model.Stages.Count && !IsDataflow; i++)
            {
                if (i > 0)
                {
                    _writer.Line();
                }

                var stage = _model.Stages[i];
                if (stage.IsGroup)
                {
                    WriteGroup(stage, i, body);
                }
                else
                {
                    WriteSingleStep(_model.Steps[stage.Steps[0]], i, body);
                }
            }

            var results = IsDataflow ? Array.Empty<string>() : ResultLocals();
            if (IsDataflow)
            {
                WriteDataflowRun(body);
            }

            if (_model.TimeoutMilliseconds > 0 && !IsDataflow)
            {
                WriteRunDeadlineCheck();
            }
            else if (results.Length > 0 && _model.Stages[_model.Stages.Count - 1].IsGroup)
            {
                _writer.Line();
            }

            if (results.Length == 1)
            {
                _writer.Line($"return {results[0]};");
            }
            else if (results.Length > 1)
            {
                _writer.Line($"return ({string.Join(", ", results)});");
            }

            if (_model.TimeoutMilliseconds > 0)
            {
                _writer.Close();
                _writer.Open($"catch (global::System.Exception __exception) when (__run.TimedOut({_tokenParameter}))");
                _writer.Line($"throw new global::System.TimeoutException({Identifiers.StringLiteral($"Workflow '{_model.Type.Name}' timed out after {timeout} ms.")}, __exception);");
                _writer.Close();
                _writer.Open("finally");
                _writer.Line("__run.Dispose();");
                _writer.Close();
            }

            if (body.Observer is { } runObserver)
            {
                _writer.Close();
                _writer.Open("catch (global::System.Exception __exception)");
                _writer.Line($"{runObserver}.Fail(__exception);");
                _writer.Line("throw;");
                _writer.Close();
                _writer.Open("finally");
                _writer.Line($"{runObserver}.End();");
                _writer.Close();
            }

            _writer.Close();
        }

        // A last step that ignored its token may have finished after the run's time was up, before (on a busy machine)
        // the timer cancelled the token: the clock decides, and the catch below turns this into the TimeoutException.
        private void WriteRunDeadlineCheck()
        {
            _writer.Line();
            _writer.Line("__run.ThrowIfCancellationRequested();");
        }

        // What the run returns: the values of the last stage (a first-success group has one, named after it).
        private string[] ResultLocals()
        {
            if (LastStageIsFirstSuccess(out var stage))
            {
                return new[] { Identifiers.Escape(_groupLocals[stage]) };
            }

            return _model.ResultSteps.Select(Local).ToArray();
        }

        private bool LastStageIsFirstSuccess(out int stage)
        {
            stage = _model.Stages.Count - 1;
            return _model.Scheduling == SchedulingKind.Sequential && stage >= 0 && _model.Stages[stage].Failure == GroupFailure.FirstSuccess;
        }

        private string Local(StepModel step) => Identifiers.Escape(_outputLocals[IndexOf(step)]);

        private int IndexOf(StepModel step)
        {
            for (var i = 0; i < _model.Steps.Count; i++)
            {
                if (ReferenceEquals(_model.Steps[i], step))
                {
                    return i;
                }
            }

            throw new InvalidOperationException($"Step '{step.MethodName}' is not part of the model.");
        }

        private void WriteStageGate()
        {
            if (_model.TimeoutMilliseconds > 0 && !IsDataflow)
            {
                // No stage starts once the run's time is up, even before its timer has cancelled the token.
                _writer.Line("__run.ThrowIfCancellationRequested();");
            }

            _writer.Line($"await global::Flows.Internal.FlowGate.EnterAsync({_controlParameter}, {_runToken}){ConfigureAwait};");
        }

        private string ArgumentExpression(ArgumentModel argument) => argument.Kind switch
        {
            ArgumentKind.StepOutput => Identifiers.Escape(_outputLocals[argument.Source]),
            ArgumentKind.Input => Identifiers.Escape(_inputParameters[argument.Source]),
            ArgumentKind.GroupOutput => Identifiers.Escape(_groupLocals[argument.Source]),
            _ => throw new InvalidOperationException("Only outputs and inputs are passed as values."),
        };

        private string ContextExpression(StepModel step) =>
            $"new global::Flows.StepContext({Identifiers.StringLiteral(_model.Type.Name)}, {Identifiers.StringLiteral(step.MethodName)})";
    }
}
