using Flows.Analyzers;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parsing;

internal static partial class WorkflowParser
{
    private sealed partial class Parser
    {
        private void ReadStepAttributes(StepDraft step)
        {
            AttributeData? stepContinueOnError = null;
            foreach (var attribute in step.Method.GetAttributes())
            {
                var attributeClass = attribute.AttributeClass;
                if (attributeClass.Is(KnownTypeNames.ParallelAttribute))
                {
                    ReadParallel(step, attribute);
                }
                else if (attributeClass.Is(KnownTypeNames.StepAttribute))
                {
                    if (attribute.TryGetNamedArgument("ContinueOnError", out var continueOnError) && continueOnError.Value is true)
                    {
                        step.ContinueOnError = true;
                        stepContinueOnError = attribute;
                    }
                }
                else if (attributeClass.Is(KnownTypeNames.ParallelForEachAttribute))
                {
                    ReadForEach(step, attribute);
                }
                else if (attributeClass.Is(KnownTypeNames.RetryAttribute))
                {
                    ReadRetry(step, attribute);
                }
                else if (attributeClass.Is(KnownTypeNames.TimeoutAttribute))
                {
                    var milliseconds = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int value ? value : 0;
                    if (milliseconds <= 0)
                    {
                        InvalidOption(step, attribute, null, 0, "Timeout", "the timeout must be more than 0 milliseconds");
                    }

                    step.TimeoutMilliseconds = milliseconds;
                }
                else if (attributeClass.Is(KnownTypeNames.AfterAttribute))
                {
                    step.AfterAttributes.Add(attribute);
                }
            }

            // A foreach turns failures into outcomes per item; the whole loop does not become one Outcome<T>.
            if (stepContinueOnError is not null && step.ForEach is not null)
            {
                InvalidOption(step, stepContinueOnError, "ContinueOnError", -1, "ContinueOnError", "[Step(ContinueOnError = true)] does not apply to a foreach step; use [ParallelForEach(..., ContinueOnError = true)], whose failed items become failed outcomes");
            }
        }

        private void InvalidOption(StepDraft step, AttributeData attribute, string? argument, int position, string option, string reason) =>
            Report(DiagnosticIds.InvalidOption, attribute.ArgumentLocation(argument, position, _cancellationToken), step.Method.Name, option, reason);

        private void ReadParallel(StepDraft step, AttributeData attribute)
        {
            step.Parallel = attribute;
            var argument = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0] : default;
            step.Group = argument.Value as string;
            if (argument.Kind == TypedConstantKind.Error || attribute.ConstructorArguments.Length != 1)
            {
                CannotGenerate(DiagnosticIds.InvalidOption, attribute.ArgumentLocation(null, 0, _cancellationToken), step.Method.Name, "Parallel", "the group name must be a constant string");
                step.Group = null;
            }
            else if (string.IsNullOrWhiteSpace(step.Group))
            {
                InvalidOption(step, attribute, null, 0, "Parallel", "the group name cannot be null or empty");
                step.Group = null;
            }
        }

        private void ReadForEach(StepDraft step, AttributeData attribute)
        {
            var source = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0] : default;
            if (source.Kind == TypedConstantKind.Error || attribute.ConstructorArguments.Length != 1)
            {
                CannotGenerate(DiagnosticIds.InvalidForEachSource, attribute.ArgumentLocation(null, 0, _cancellationToken), step.Method.Name, "its source must be a constant name, such as nameof(Step)");
                return;
            }

            var forEach = new ForEachDraft(attribute, source.Value as string ?? string.Empty);
            step.ForEach = forEach;
            if (forEach.SourceName.Length == 0)
            {
                Report(DiagnosticIds.InvalidForEachSource, attribute.ArgumentLocation(null, 0, _cancellationToken), step.Method.Name, "its source is empty; name a step with nameof(Step) or a workflow input");
            }

            if (attribute.TryGetNamedArgument("MaxDegreeOfParallelism", out var degree) && degree.Value is int degreeValue)
            {
                if (degreeValue == 0 || degreeValue < -1)
                {
                    InvalidOption(step, attribute, "MaxDegreeOfParallelism", -1, "MaxDegreeOfParallelism", $"{degreeValue} is not a degree: use a positive number, or -1 for no limit");
                }

                forEach.MaxDegreeOfParallelism = degreeValue;
            }

            if (attribute.TryGetNamedArgument("ContinueOnError", out var continueOnError) && continueOnError.Value is true)
            {
                forEach.ContinueOnError = true;
            }

            if (attribute.TryGetNamedArgument("MinSuccessRate", out var rate) && rate.Value is double rateValue)
            {
                if (double.IsNaN(rateValue) || rateValue < 0 || rateValue > 1)
                {
                    InvalidOption(step, attribute, "MinSuccessRate", -1, "MinSuccessRate", $"{rateValue} is not a rate from 0 to 1");
                }
                else if (rateValue > 0 && !forEach.ContinueOnError)
                {
                    InvalidOption(step, attribute, "MinSuccessRate", -1, "MinSuccessRate", "it applies only with ContinueOnError = true");
                }

                forEach.MinSuccessRate = rateValue;
            }

            if (attribute.TryGetNamedArgument("BatchSize", out var batch) && batch.Value is int batchValue)
            {
                if (batchValue < 0)
                {
                    InvalidOption(step, attribute, "BatchSize", -1, "BatchSize", "it cannot be negative (0 means no batches)");
                }

                forEach.BatchSize = batchValue;
            }

            if (attribute.TryGetNamedArgument("DelayBetweenBatchesMilliseconds", out var delay) && delay.Value is int delayValue)
            {
                if (delayValue < 0)
                {
                    InvalidOption(step, attribute, "DelayBetweenBatchesMilliseconds", -1, "DelayBetweenBatchesMilliseconds", "it cannot be negative");
                }
                else if (delayValue > 0 && forEach.BatchSize <= 0)
                {
                    InvalidOption(step, attribute, "DelayBetweenBatchesMilliseconds", -1, "DelayBetweenBatchesMilliseconds", "it applies only with a BatchSize");
                }

                forEach.DelayBetweenBatchesMilliseconds = delayValue;
            }

            if (attribute.TryGetNamedArgument("MaxItemsPerSecond", out var perSecond) && perSecond.Value is double perSecondValue)
            {
                if (double.IsNaN(perSecondValue) || double.IsInfinity(perSecondValue) || perSecondValue < 0)
                {
                    InvalidOption(step, attribute, "MaxItemsPerSecond", -1, "MaxItemsPerSecond", $"{perSecondValue} is not a rate: use a positive number, or 0 for no limit");
                }

                forEach.MaxItemsPerSecond = perSecondValue;
            }
        }

        private void ReadRetry(StepDraft step, AttributeData attribute)
        {
            var attempts = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int value ? value : 0;
            if (attempts < 1)
            {
                InvalidOption(step, attribute, null, 0, "Retry", $"{attempts} attempts: a step makes at least 1");
            }

            var delay = 0;
            if (attribute.TryGetNamedArgument("DelayMilliseconds", out var delayArgument) && delayArgument.Value is int delayValue)
            {
                if (delayValue < 0)
                {
                    InvalidOption(step, attribute, "DelayMilliseconds", -1, "DelayMilliseconds", "it cannot be negative");
                }

                delay = delayValue;
            }

            var backoff = 0;
            if (attribute.TryGetNamedArgument("Backoff", out var backoffArgument) && backoffArgument.Value is int backoffValue)
            {
                if (backoffValue is < 0 or > 2)
                {
                    InvalidOption(step, attribute, "Backoff", -1, "Backoff", $"{backoffValue} is not a Backoff value");
                }

                backoff = backoffValue;
            }

            var jitter = attribute.TryGetNamedArgument("Jitter", out var jitterArgument) && jitterArgument.Value is true;
            var retryOn = new List<string>();
            if (attribute.TryGetNamedArgument("RetryOn", out var retryOnArgument) && retryOnArgument.Kind == TypedConstantKind.Array && !retryOnArgument.IsNull)
            {
                foreach (var item in retryOnArgument.Values)
                {
                    if (item.Value is not ITypeSymbol exceptionType || exceptionType.TypeKind == TypeKind.Error)
                    {
                        CannotGenerate(DiagnosticIds.InvalidOption, attribute.ArgumentLocation("RetryOn", -1, _cancellationToken), step.Method.Name, "RetryOn", "it lists a type that does not resolve");
                        continue;
                    }

                    if (!DerivesFromException(exceptionType))
                    {
                        InvalidOption(step, attribute, "RetryOn", -1, "RetryOn", $"'{exceptionType.ToDisplayString()}' is not an exception type");
                    }

                    retryOn.Add(exceptionType.ToFullyQualified());
                }
            }

            step.Retry = new RetryModel(attempts, delay, backoff, jitter, retryOn.ToEquatableArray());
        }

        private static bool DerivesFromException(ITypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current.Is(ExceptionName))
                {
                    return true;
                }
            }

            return false;
        }

        // FLOW009: group options may be written on any member, but members may not disagree.
        private void ReadGroupOptions(StageDraft stage, StepDraft step, AttributeData attribute)
        {
            if (attribute.TryGetNamedArgument("Failure", out var failure) && failure.Value is int policy)
            {
                if (policy is < 0 or > 3)
                {
                    InvalidOption(step, attribute, "Failure", -1, "Failure", $"{policy} is not a FailurePolicy");
                }
                else if (MergeGroupOption(stage.Failure, step, attribute, "Failure", policy, stage, ((GroupFailure)policy).ToString()))
                {
                    stage.Failure = new GroupOption(policy, step, attribute);
                }
            }

            if (attribute.TryGetNamedArgument("MinSuccessCount", out var minSuccess) && minSuccess.Value is int min)
            {
                if (min < 0)
                {
                    InvalidOption(step, attribute, "MinSuccessCount", -1, "MinSuccessCount", "it cannot be negative");
                }
                else if (MergeGroupOption(stage.MinSuccess, step, attribute, "MinSuccessCount", min, stage, min.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    stage.MinSuccess = new GroupOption(min, step, attribute);
                }
            }

            if (attribute.TryGetNamedArgument("TimeoutMilliseconds", out var timeout) && timeout.Value is int milliseconds)
            {
                if (milliseconds < 0)
                {
                    InvalidOption(step, attribute, "TimeoutMilliseconds", -1, "TimeoutMilliseconds", "it cannot be negative (0 means no limit)");
                }
                else if (MergeGroupOption(stage.Timeout, step, attribute, "TimeoutMilliseconds", milliseconds, stage, milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    stage.Timeout = new GroupOption(milliseconds, step, attribute);
                }
            }
        }

        private bool MergeGroupOption(GroupOption? current, StepDraft step, AttributeData attribute, string name, int value, StageDraft stage, string display)
        {
            if (current is null)
            {
                return true;
            }

            if (current.Value != value)
            {
                Report(
                    DiagnosticIds.InvalidOption,
                    attribute.ArgumentLocation(name, -1, _cancellationToken),
                    current.SetBy.Method.NameLocation(),
                    step.Method.Name,
                    name,
                    $"it is {display} here but step '{current.SetBy.Method.Name}' of group '{stage.Group}' sets it to another value");
            }

            return false;
        }

        private void CheckGroupOptions(StageDraft stage, StepDraft[] steps)
        {
            // Under dataflow scheduling the whole graph is one fail-fast block; a group only starts its members together.
            if (IsDataflow && stage.Failure is { Value: not (int)GroupFailure.FailFast } failure)
            {
                InvalidOption(failure.SetBy, failure.Attribute, "Failure", -1, "Failure", $"under Scheduling.Dataflow a group is fail-fast; {(GroupFailure)failure.Value} needs Scheduling.Sequential");
            }

            if (IsDataflow && stage.Timeout is { Value: > 0 } timeout)
            {
                InvalidOption(timeout.SetBy, timeout.Attribute, "TimeoutMilliseconds", -1, "TimeoutMilliseconds", "under Scheduling.Dataflow a group has no timeout of its own; use [Timeout] on its steps or the workflow's TimeoutMilliseconds");
            }

            if (stage.MinSuccess is { Value: > 0 } min)
            {
                if (stage.Failure is not { Value: (int)GroupFailure.ContinueOnError })
                {
                    InvalidOption(min.SetBy, min.Attribute, "MinSuccessCount", -1, "MinSuccessCount", "it applies only with Failure = FailurePolicy.ContinueOnError");
                }
                else if (min.Value > stage.Steps.Count)
                {
                    InvalidOption(min.SetBy, min.Attribute, "MinSuccessCount", -1, "MinSuccessCount", $"group '{stage.Group}' has only {stage.Steps.Count} members");
                }
            }

            foreach (var index in stage.Steps)
            {
                if (steps[index].ContinueOnError && stage.FailurePolicy == GroupFailure.FirstSuccess)
                {
                    InvalidOption(steps[index], steps[index].Method.GetAttributes().First(a => a.AttributeClass.Is(KnownTypeNames.StepAttribute)), "ContinueOnError", -1, "ContinueOnError", $"group '{stage.Group}' is FirstSuccess: a member's failure already does not fail the run while another succeeds");
                }
            }
        }

        // FLOW012: the members of a first-success group give one value, so they must return the same type.
        private void CheckFirstSuccessGroups(StepDraft[] steps, List<StageDraft> stages)
        {
            foreach (var stage in stages)
            {
                if (stage.FailurePolicy != GroupFailure.FirstSuccess)
                {
                    continue;
                }

                // The member the others are compared with: the first that gives one value.
                StepDraft? valued = null;
                foreach (var index in stage.Steps)
                {
                    if (steps[index].ValueType is not null && steps[index].ForEach is null)
                    {
                        valued = steps[index];
                        break;
                    }
                }

                StepDraft? first = null;
                foreach (var index in stage.Steps)
                {
                    var member = steps[index];
                    if (member.ValueType is null || member.ForEach is not null)
                    {
                        // A member without one value could win and leave the group with none. When no member gives a
                        // value there is nothing to compare with, and FLOW009 below says the group needs one.
                        if (valued is not null)
                        {
                            Report(
                                DiagnosticIds.FirstSuccessTypes,
                                member.Method.NameLocation(),
                                valued.Method.NameLocation(),
                                stage.Group!,
                                member.Method.Name,
                                member.ForEach is not null ? "a list of item results" : "no value",
                                valued.Method.Name,
                                valued.ValueType!.ToDisplayString());
                        }

                        continue;
                    }

                    if (first is null)
                    {
                        first = member;
                        stage.OutputType = member.ValueType;
                    }
                    else if (!SymbolEqualityComparer.Default.Equals(first.ValueType, member.ValueType))
                    {
                        Report(
                            DiagnosticIds.FirstSuccessTypes,
                            member.Method.NameLocation(),
                            first.Method.NameLocation(),
                            stage.Group!,
                            member.Method.Name,
                            member.ValueType.ToDisplayString(),
                            first.Method.Name,
                            first.ValueType!.ToDisplayString());
                    }
                }

                if (first is null)
                {
                    Report(DiagnosticIds.InvalidOption, stage.Failure!.Attribute.ArgumentLocation("Failure", -1, _cancellationToken), stage.Failure.SetBy.Method.Name, "Failure", $"a FirstSuccess group needs members that return a value, and no member of group '{stage.Group}' does");
                }

                foreach (var step in steps)
                {
                    if (string.Equals(step.OutputName, stage.Group, StringComparison.OrdinalIgnoreCase))
                    {
                        Report(DiagnosticIds.InvalidOption, stage.Failure!.Attribute.ArgumentLocation(null, 0, _cancellationToken), step.Method.NameLocation(), stage.Failure.SetBy.Method.Name, "Parallel", $"the output of FirstSuccess group '{stage.Group}' is named after the group, which is also the output name of step '{step.Method.Name}'");
                    }
                }
            }
        }

        // What a consumer receives: the value, an Outcome of it when the step may fail, a list for a foreach.
        private void ComputeOutputTypes(StepDraft[] steps, List<StageDraft> stages)
        {
            foreach (var step in steps)
            {
                var value = step.ValueType;
                if (value is null || _compilation is null)
                {
                    continue;
                }

                if (step.ForEach is { } forEach)
                {
                    var item = forEach.ContinueOnError ? WrapInOutcome(value) : value;
                    value = item is null ? null : _compilation.GetSpecialType(SpecialType.System_Collections_Generic_IReadOnlyList_T).Construct(item);
                }

                if (value is not null && (step.ContinueOnError || stages[step.Stage].FailurePolicy == GroupFailure.ContinueOnError))
                {
                    value = WrapInOutcome(value);
                }

                step.OutputType = value;
            }
        }

        private ITypeSymbol? WrapInOutcome(ITypeSymbol value)
        {
            var outcome = _compilation!.GetTypeByMetadataName(KnownTypeNames.Outcome);
            if (outcome is null)
            {
                CannotGenerate(DiagnosticIds.InvalidOption, _type.NameLocation(), _type.Name, "Workflow", $"the type '{KnownTypeNames.Outcome}' is missing: reference the Flows package, whose generator and library must be of one version");
                return null;
            }

            return outcome.Construct(value);
        }
    }
}
