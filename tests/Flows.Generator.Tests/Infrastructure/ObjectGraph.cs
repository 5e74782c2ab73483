using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Tests.Infrastructure;

/// <summary>
/// Walks an object graph through every instance field (so every auto-property too), array element and boxed value,
/// reporting what a pipeline value must never hold: anything that keeps a compilation alive or compares by
/// reference.
/// </summary>
internal static class ObjectGraph
{
    /// <summary>Types that root a compilation; a model holding one defeats caching and leaks memory.</summary>
    private static readonly Type[] s_forbidden =
    {
        typeof(ISymbol),
        typeof(SyntaxNode),
        typeof(SyntaxTree),
        typeof(Compilation),
        typeof(SemanticModel),
        typeof(Location),
    };

    /// <summary>Every forbidden object met, with the path from the root to it.</summary>
    public static IReadOnlyList<string> FindForbidden(object? root, string rootName)
    {
        var problems = new List<string>();
        Walk(root, rootName, (value, path, _) =>
        {
            var type = value.GetType();
            var forbidden = s_forbidden.FirstOrDefault(candidate => candidate.IsAssignableFrom(type));
            if (forbidden is not null)
            {
                problems.Add($"{path}: {type.FullName} is an {forbidden.Name}");
                return false;
            }

            return true;
        });
        return problems;
    }

    /// <summary>
    /// Everything that would make two equal models compare unequal: classes that keep reference equality,
    /// <see cref="ImmutableArray{T}"/> and <see cref="List{T}"/> (compared by reference), and arrays outside an
    /// <c>EquatableArray&lt;T&gt;</c>.
    /// </summary>
    public static IReadOnlyList<string> FindReferenceEquality(object? root, string rootName)
    {
        var problems = new List<string>();
        Walk(root, rootName, (value, path, owner) =>
        {
            var type = value.GetType();
            if (type.IsArray)
            {
                if (owner is null || !owner.IsGenericType || owner.GetGenericTypeDefinition().Name != "EquatableArray`1")
                {
                    problems.Add($"{path}: an array ({type.Name}) outside EquatableArray<T> compares by reference");
                }

                return true;
            }

            if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(ImmutableArray<>) || type.GetGenericTypeDefinition() == typeof(List<>)))
            {
                problems.Add($"{path}: {type.Name} compares by reference; use EquatableArray<T>");
                return true;
            }

            if (type.IsClass && type != typeof(string)
                && type.GetMethod(nameof(Equals), BindingFlags.Instance | BindingFlags.Public, new[] { typeof(object) })?.DeclaringType == typeof(object))
            {
                problems.Add($"{path}: {type.FullName} does not override Equals, so it compares by reference");
            }

            return true;
        });
        return problems;
    }

    /// <summary>Calls <paramref name="visit"/> on every non-null object once; it returns whether to walk inside.</summary>
    private static void Walk(object? root, string rootName, Func<object, string, Type?, bool> visit)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(object? Value, string Path, Type? Owner)>();
        pending.Push((root, rootName, null));
        while (pending.Count > 0)
        {
            var (value, path, owner) = pending.Pop();
            if (value is null || value is string || value is Pointer)
            {
                continue;
            }

            var type = value.GetType();
            if (type.IsPrimitive || type.IsEnum || value is decimal || value is Type || value is Delegate)
            {
                continue;
            }

            if (!type.IsValueType && !seen.Add(value))
            {
                continue;
            }

            if (!visit(value, path, owner))
            {
                continue;
            }

            if (value is Array array)
            {
                var i = 0;
                foreach (var element in array)
                {
                    pending.Push((element, $"{path}[{i++}]", owner));
                }

                continue;
            }

            for (var current = type; current is not null && current != typeof(object) && current != typeof(ValueType); current = current.BaseType)
            {
                foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                    {
                        continue;
                    }

                    pending.Push((field.GetValue(value), $"{path}.{Clean(field.Name)}", type));
                }
            }
        }
    }

    // <Steps>k__BackingField → Steps
    private static string Clean(string fieldName) =>
        fieldName.StartsWith('<') && fieldName.IndexOf('>') is var end and > 0 ? fieldName.Substring(1, end - 1) : fieldName;
}
