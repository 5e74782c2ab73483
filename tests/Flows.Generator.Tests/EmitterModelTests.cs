using System.Text;
using Flows.Generator.Emitting;
using Flows.Generator.Model;
using Flows.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Tests;

/// <summary>
/// The emitter on its own, fed models built by hand rather than by the parser: random stage layouts, failure
/// policies, return kinds and bindings. For each model the test writes the user's half of the class (the step
/// methods the model describes) and compiles it with the emitted half: no error and no warning, under nullable on
/// and off and C# 12 and latest. A change to the emitter that breaks a shape the parser's tests happen not to
/// produce shows here.
/// </summary>
public sealed class EmitterModelTests
{
    private const int Models = 60;

    private static readonly string Int = "int";
    private static readonly string OutcomeOfInt = "global::Flows.Outcome<int>";

    [Fact]
    public void Emitted_code_for_random_hand_built_models_compiles_clean()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FLOWS_EMITTER_SEED"), out var fixedSeed) ? fixedSeed : Environment.TickCount;
        var failures = new List<string>();
        for (var i = 0; i < Models; i++)
        {
            var random = new Random(unchecked(seed + i));
            var (model, userSource) = RandomWorkflow(random, $"W{i}");
            var (_, generated) = WorkflowEmitter.Emit(model);
            var settings = CompileSettings.All[i % CompileSettings.All.Count];
            var compilation = TestCompilation.Create(settings, userSource, generated);
            var problems = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
            if (problems.Length > 0)
            {
                failures.Add($"model {i} (seed {unchecked(seed + i)}, {settings}):\n  {string.Join("\n  ", problems.Take(5))}\n--- user ---\n{userSource}\n--- generated ---\n{generated}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {Models} models (seed {seed}, FLOWS_EMITTER_SEED replays):\n\n{string.Join("\n\n", failures.Take(2))}");
    }

    [Fact]
    public void The_emitter_is_a_pure_function_of_the_model()
    {
        var (model, _) = RandomWorkflow(new Random(7), "Pure");
        var (again, _) = RandomWorkflow(new Random(7), "Pure");
        Assert.Equal(model, again);
        Assert.Equal(WorkflowEmitter.Emit(model), WorkflowEmitter.Emit(again));
    }

    // A sequential workflow of 1-6 stages: single steps or groups of 2-4 members under FailFast, WaitAll or
    // ContinueOnError; each step returns int (as a value, Task<int> or ValueTask<int>) or nothing (void, Task), and
    // takes a CancellationToken, the input 'seed' and outputs of earlier stages.
    private static (WorkflowModel Model, string UserSource) RandomWorkflow(Random random, string name)
    {
        var steps = new List<StepModel>();
        var stages = new List<StageModel>();
        var methods = new StringBuilder();
        var usesSeed = false;
        var stageCount = random.Next(1, 7);
        for (var stage = 0; stage < stageCount; stage++)
        {
            var group = random.Next(3) == 0 ? null : $"g{stage}";
            var failure = group is null ? GroupFailure.FailFast : (GroupFailure)random.Next(3);
            var members = group is null ? 1 : random.Next(2, 5);
            var indexes = new List<int>();
            for (var m = 0; m < members; m++)
            {
                var index = steps.Count;
                var stepName = $"Step{index}";
                var returnKind = (ReturnKind)random.Next(6);
                var returnsValue = returnKind is ReturnKind.Value or ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT;
                var continueOnError = failure == GroupFailure.ContinueOnError;
                var arguments = new List<ArgumentModel>();
                var parameters = new List<string>();
                var earlier = steps.Where(step => step.HasValue && step.Stage < stage).ToArray();
                if (earlier.Length > 0 && random.Next(2) == 0)
                {
                    var producer = earlier[random.Next(earlier.Length)];
                    var local = char.ToLowerInvariant(producer.OutputName[0]) + producer.OutputName.Substring(1);
                    arguments.Add(new ArgumentModel(ArgumentKind.StepOutput, local, producer.OutputType!, steps.IndexOf(producer)));
                    parameters.Add($"{(producer.OutputType == OutcomeOfInt ? "Flows.Outcome<int>" : "int")} {local}");
                }

                if (random.Next(2) == 0)
                {
                    usesSeed = true;
                    arguments.Add(new ArgumentModel(ArgumentKind.Input, "seed", Int, 0));
                    parameters.Add("int seed");
                }

                if (returnKind is not (ReturnKind.Void or ReturnKind.Value) && random.Next(2) == 0)
                {
                    arguments.Add(new ArgumentModel(ArgumentKind.CancellationToken, "ct", "global::System.Threading.CancellationToken", -1));
                    parameters.Add("System.Threading.CancellationToken ct");
                }

                steps.Add(new StepModel(
                    stepName,
                    stepName,
                    IsStatic: false,
                    IsAsync: false,
                    returnKind,
                    returnsValue ? Int : null,
                    arguments.ToEquatableArray(),
                    stage,
                    returnsValue ? (continueOnError ? OutcomeOfInt : Int) : null,
                    continueOnError,
                    ForEach: null,
                    Retry: null,
                    TimeoutMilliseconds: 0,
                    After: EquatableArray<int>.Empty));
                indexes.Add(index);
                var body = returnKind switch
                {
                    ReturnKind.Void => "{ }",
                    ReturnKind.Value => "=> 1;",
                    ReturnKind.Task => "=> System.Threading.Tasks.Task.CompletedTask;",
                    ReturnKind.TaskOfT => "=> System.Threading.Tasks.Task.FromResult(1);",
                    ReturnKind.ValueTask => "=> default;",
                    _ => "=> new(1);",
                };
                var returnType = returnKind switch
                {
                    ReturnKind.Void => "void",
                    ReturnKind.Value => "int",
                    ReturnKind.Task => "System.Threading.Tasks.Task",
                    ReturnKind.TaskOfT => "System.Threading.Tasks.Task<int>",
                    ReturnKind.ValueTask => "System.Threading.Tasks.ValueTask",
                    _ => "System.Threading.Tasks.ValueTask<int>",
                };
                methods.Append($"    public {returnType} {stepName}({string.Join(", ", parameters)}) {body}\n");
            }

            stages.Add(new StageModel(group, indexes.ToEquatableArray(), failure, MinSuccessCount: 0, TimeoutMilliseconds: 0));
        }

        var inputs = usesSeed ? new[] { new InputModel("seed", Int) } : Array.Empty<InputModel>();

        var model = new WorkflowModel(
            "Emitted",
            EquatableArray<TypeDeclarationModel>.Empty,
            new TypeDeclarationModel("class", name, EquatableArray<string>.Empty),
            IsStatic: false,
            steps.ToEquatableArray(),
            stages.ToEquatableArray(),
            inputs.ToEquatableArray(),
            HookKinds.None,
            SchedulingKind.Sequential,
            TimeoutMilliseconds: 0);
        var user = $"namespace Emitted;\n\npublic partial class {name}\n{{\n{methods}}}\n";
        return (model, user);
    }
}
