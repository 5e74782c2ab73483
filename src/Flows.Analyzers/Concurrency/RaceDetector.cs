using System.Collections.Immutable;
using System.Threading;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// Puts the step summaries of one workflow side by side and reports the accesses that may run at the same time
/// (<see cref="StepOverlap.MayOverlap"/>) without a common lock, atomic operation or thread-safe type between them.
/// </summary>
internal static class RaceDetector
{
    public static void Report(
        WorkflowModel model,
        ImmutableArray<IMethodSymbol> stepMethods,
        ImmutableArray<MethodSummary?> summaries,
        ImmutableArray<(IMethodSymbol Hook, MethodSummary Summary)> hooks,
        Func<ImmutableDictionary<ISymbol, ISymbol>> findAliases,
        Action<Diagnostic> report,
        CancellationToken cancellationToken)
    {
        var stepOverlap = StepOverlap.MayOverlap(model);
        var stepCount = Math.Min(model.Steps.Count, summaries.Length);
        if (!AnyOverlap(stepOverlap, stepCount))
        {
            return;
        }

        // Looked for only now: most workflows have no steps that overlap, and need no look at their constructors.
        var aliases = findAliases();

        // The hooks join as more "steps" after the real ones: a hook runs around every step and item, so it may run
        // at the same time as itself and the other hooks, and alongside every step that may overlap with another.
        var count = stepCount + hooks.Length;
        var overlap = new bool[count, count];
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < count; j++)
            {
                overlap[i, j] = (i < stepCount, j < stepCount) switch
                {
                    (true, true) => stepOverlap[i, j],
                    (true, false) => OverlapsAny(stepOverlap, i, stepCount),
                    (false, true) => OverlapsAny(stepOverlap, j, stepCount),
                    _ => true,
                };
            }
        }

        // Every access of every step that may overlap with some step, by what it touches.
        var byKey = new Dictionary<AccessKey, List<(int Step, Access Access)>>();
        var order = new List<AccessKey>();
        for (var step = 0; step < count; step++)
        {
            var summary = step < stepCount ? summaries[step] : hooks[step - stepCount].Summary;
            if (summary is null || !OverlapsAny(overlap, step, count))
            {
                continue;
            }

            var method = step < stepCount ? stepMethods[step] : hooks[step - stepCount].Hook;
            var arguments = step < stepCount ? model.Steps[step].Arguments : EquatableArray<ArgumentModel>.Empty;
            foreach (var access in summary.Accesses)
            {
                if (ToWorkflow(arguments, method, access) is not { } mapped)
                {
                    continue;
                }

                var key = SharedObjectKey(mapped.Key, aliases);
                if (!byKey.TryGetValue(key, out var list))
                {
                    list = new List<(int, Access)>();
                    byKey.Add(key, list);
                    order.Add(key);
                }

                list.Add((step, mapped));
            }
        }

        // A lock whose object a step that may overlap replaces (`_gate = new object()`) is not one lock: a thread that
        // arrives after the replacement locks the new object while another still holds the old one.
        var replaced = new HashSet<AccessPath>();
        foreach (var key in order)
        {
            if (key.Facet == Facet.Storage && byKey[key].Exists(e => e.Access.IsWrite))
            {
                replaced.Add(key.Path);
            }
        }

        foreach (var key in order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entries = byKey[key];
            if (!entries.Exists(e => e.Access.IsWrite))
            {
                continue;
            }

            var steps = entries.Select(e => e.Step).Distinct().OrderBy(s => s).ToArray();
            foreach (var first in steps)
            {
                foreach (var second in steps)
                {
                    if (second < first || !overlap[first, second])
                    {
                        continue;
                    }

                    // One step on several items, unless it is a hook: a hook runs for different steps at once.
                    var sameStep = first == second && first < stepCount;
                    if (FindConflict(key, entries, first, second, sameStep, replaced) is { } conflict)
                    {
                        report(Describe(key, conflict.Primary, conflict.Other, first == second, hook: first >= stepCount));
                    }
                }
            }
        }
    }

    /// <summary>
    /// What an access touches, with a member that shares its object with others (<see cref="FieldAliases"/>) replaced
    /// by the one that names the group: the inside of the object, not the member itself, which is storage of its own.
    /// </summary>
    private static AccessKey SharedObjectKey(AccessKey key, ImmutableDictionary<ISymbol, ISymbol> aliases)
    {
        var path = key.Path;
        if (aliases.IsEmpty || path.Kind != RootKind.This || path.Members.IsEmpty
            || (key.Facet == Facet.Storage && path.Members.Length == 1)
            || !aliases.TryGetValue(path.Members[0].OriginalDefinition, out var canonical)
            || SymbolEqualityComparer.Default.Equals(canonical, path.Members[0].OriginalDefinition))
        {
            return key;
        }

        return new AccessKey(new AccessPath(RootKind.This, path.Index, path.RootSymbol, path.RootName, path.Members.SetItem(0, canonical)), key.Facet);
    }

    private static bool AnyOverlap(bool[,] overlap, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (OverlapsAny(overlap, i, count))
            {
                return true;
            }
        }

        return false;
    }

    private static bool OverlapsAny(bool[,] overlap, int step, int count)
    {
        for (var j = 0; j < count; j++)
        {
            if (overlap[step, j])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An access of a step in terms of the workflow: a parameter becomes the workflow input or step output it is bound
    /// to; the foreach item and everything else that belongs to one invocation is dropped.
    /// </summary>
    private static Access? ToWorkflow(EquatableArray<ArgumentModel> arguments, IMethodSymbol method, Access access)
    {
        var path = access.Key.Path;
        if (path.Kind == RootKind.Parameter)
        {
            if (path.Index >= arguments.Count)
            {
                return null;
            }

            var argument = arguments[path.Index];
            var kind = argument.Kind switch
            {
                ArgumentKind.Input => RootKind.Input,
                ArgumentKind.StepOutput => RootKind.StepOutput,
                ArgumentKind.GroupOutput => RootKind.GroupOutput,
                _ => (RootKind?)null,
            };
            if (kind is null)
            {
                return null;
            }

            path = path.Rebase(new AccessPath(kind.Value, argument.Source, null, argument.ParameterName, ImmutableArray<ISymbol>.Empty));
        }
        else if (path.Kind is not (RootKind.This or RootKind.Static))
        {
            return null;
        }

        var index = access.Index;
        if (index >= 0)
        {
            // The item itself as the index (`results[i]` over a list of indexes): distinct per item like context.Index.
            var isItem = index < arguments.Count && arguments[index].Kind == ArgumentKind.Item
                && index < method.Parameters.Length && method.Parameters[index].Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64;
            index = isItem ? IndexSource.ItemValue : IndexSource.Unknown;
        }

        var locks = access.Locks;
        if (!locks.IsEmpty)
        {
            var builder = ImmutableArray.CreateBuilder<LockRef>(locks.Length);
            foreach (var held in locks)
            {
                if (held.Path.Kind is RootKind.This or RootKind.Static)
                {
                    builder.Add(held);
                }
            }

            locks = builder.ToImmutable();
        }

        return access.InStep(new AccessKey(path, access.Key.Facet), index, locks, method.Name);
    }

    private static (Access Primary, Access Other)? FindConflict(
        AccessKey key, List<(int Step, Access Access)> entries, int first, int second, bool sameStep, HashSet<AccessPath> replacedLocks)
    {
        (Access Primary, Access Other)? best = null;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Step != first && entries[i].Step != second)
            {
                continue;
            }

            for (var j = sameStep ? i : 0; j < entries.Count; j++)
            {
                var a = entries[i];
                var b = entries[j];
                var pairs = first == second
                    ? a.Step == first && b.Step == first
                    : a.Step == first && b.Step == second;
                if (!pairs || !Conflicts(key, a.Access, b.Access, sameStep, replacedLocks))
                {
                    continue;
                }

                var (primary, other) = Compare(a.Access.Location, b.Access.Location) <= 0 ? (a.Access, b.Access) : (b.Access, a.Access);
                if (best is null
                    || Compare(primary.Location, best.Value.Primary.Location) is var byPrimary && (byPrimary < 0
                    || (byPrimary == 0 && Compare(other.Location, best.Value.Other.Location) < 0)))
                {
                    best = (primary, other);
                }
            }
        }

        return best;
    }

    private static bool Conflicts(AccessKey key, Access a, Access b, bool sameStep, HashSet<AccessPath> replacedLocks)
    {
        if (!a.IsWrite && !b.IsWrite)
        {
            return false;
        }

        // Interlocked/Volatile against each other, or an atomic update against a plain read: no torn or lost update.
        if ((a.Atomic && b.Atomic) || (a.Atomic && !b.IsWrite) || (b.Atomic && !a.IsWrite))
        {
            return false;
        }

        if (sameStep && key.Facet == Facet.Elements
            && ((a.Index == IndexSource.ItemIndex && b.Index == IndexSource.ItemIndex)
                || (a.Index == IndexSource.ItemValue && b.Index == IndexSource.ItemValue && a.Kind != AccessKind.ReadWrite && b.Kind != AccessKind.ReadWrite)))
        {
            return false;
        }

        // Slots claimed with Interlocked.Increment: every call writes its own element.
        if (key.Facet == Facet.Elements && a.Index == IndexSource.Claimed && b.Index == IndexSource.Claimed)
        {
            return false;
        }

        // _slots[0] and _slots[1]: different elements, whoever writes them.
        if (key.Facet == Facet.Elements && IndexSource.IsConstant(a.Index) && IndexSource.IsConstant(b.Index) && a.Index != b.Index)
        {
            return false;
        }

        foreach (var x in a.Locks)
        {
            foreach (var y in b.Locks)
            {
                if ((x.Exclusive || y.Exclusive) && x.Path.Equals(y.Path) && !replacedLocks.Contains(x.Path))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static int Compare(Location a, Location b)
    {
        var byPath = string.CompareOrdinal(a.SourceTree?.FilePath, b.SourceTree?.FilePath);
        return byPath != 0 ? byPath : a.SourceSpan.Start.CompareTo(b.SourceSpan.Start);
    }

    private static Diagnostic Describe(AccessKey key, Access primary, Access other, bool sameStep, bool hook)
    {
        var primaryStep = primary.Step ?? string.Empty;
        var otherStep = other.Step ?? string.Empty;
        var name = primary.Key.Path.Display() + (key.Facet == Facet.Elements ? "[]" : string.Empty);
        var otherName = other.Key.Path.Display() + (key.Facet == Facet.Elements ? "[]" : string.Empty);
        if (otherName != name)
        {
            // One object under two names: say so, or the message reads as if one step used the other's member.
            name += $" (the same object as {otherName})";
        }

        if (key.Facet == Facet.Contents)
        {
            var what = sameStep
                ? SameStepPhrase(Verb(primary), Verb(other), primary.Member, other.Member, primaryStep, hook)
                : $"{Verb(primary)} ({primary.Member}) by '{primaryStep}' and {Verb(other)} ({other.Member}) by '{otherStep}', which may run at the same time";
            return Diagnostic.Create(
                DiagnosticDescriptors.ThreadUnsafeObject,
                primary.Location,
                new[] { other.Location },
                name,
                primary.TypeName,
                what,
                Advice(primary.Category));
        }

        var phrase = sameStep
            ? $"{(primary.IsWrite && other.IsWrite ? "written" : "read and written")} by '{primaryStep}' {SeveralAtOnce(hook)}"
            : $"{Verb(primary)} by '{primaryStep}' and {Verb(other)} by '{otherStep}', which may run at the same time";
        return Diagnostic.Create(
            DiagnosticDescriptors.SharedMutableState,
            primary.Location,
            new[] { other.Location },
            name,
            phrase,
            Advice(key.Facet, primary, other));
    }

    private static string SameStepPhrase(string verb, string otherVerb, string member, string otherMember, string step, bool hook) =>
        verb == otherVerb && member == otherMember
            ? $"{verb} ({member}) by '{step}' {SeveralAtOnce(hook)}"
            : $"{verb} ({member}) and {otherVerb} ({otherMember}) by '{step}' {SeveralAtOnce(hook)}";

    private static string SeveralAtOnce(bool hook) => hook ? "for steps that run at the same time" : "on several items at once";

    private static string Verb(Access access) => access.Key.Facet == Facet.Contents
        ? access.Category == ObjectCategory.DbContext ? "used" : access.IsWrite ? "modified" : "read"
        : access.IsWrite ? "written" : "read";

    private static string Advice(Facet facet, Access a, Access b)
    {
        var compound = a.CompoundOperator ?? b.CompoundOperator;
        return compound switch
        {
            "++" => "use Interlocked.Increment, or return the value from the step",
            "--" => "use Interlocked.Decrement, or return the value from the step",
            "+" or "-" => "use Interlocked.Add, or return the value from the step",
            "??=" => "initialize it before the steps run, or use Lazy<T>",
            _ when facet == Facet.Elements => "write only the element at the item's index (context.Index), or return the value from the step",
            _ => "guard every access with the same lock, or return the value from the step instead of sharing it",
        };
    }

    private static string Advice(ObjectCategory category) => category switch
    {
        ObjectCategory.StringBuilder => "give each step its own StringBuilder, or guard every use with the same lock",
        ObjectCategory.Random => "use Random.Shared, which is thread-safe",
        ObjectCategory.HttpClient => "configure DefaultRequestHeaders before the workflow runs, or set headers per request on an HttpRequestMessage",
        ObjectCategory.DbContext => "a DbContext is never thread-safe: inject IDbContextFactory<T> and create a context in each step",
        _ => "use a concurrent collection (System.Collections.Concurrent), guard every use with the same lock, or return the values from the steps",
    };
}
