using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Parsing;

/// <summary>
/// A step's output name and the parameter name that binds to it: the parser binds by them, FLOW014 suggests them and
/// the code fixes write them, so each is one function (this file is compiled into the code fixes too).
/// </summary>
internal static class ParameterNames
{
    /// <summary>The output name of a step method: its name without an <c>Async</c> suffix (DESIGN.md "Binding").</summary>
    public static string OutputNameOf(string methodName) =>
        methodName.Length > "Async".Length && methodName.EndsWith("Async", System.StringComparison.Ordinal)
            ? methodName.Substring(0, methodName.Length - "Async".Length)
            : methodName;

    /// <summary>
    /// <paramref name="outputName"/> in camelCase, escaped with <c>@</c> when it is a keyword:
    /// <c>FetchPrice</c> → <c>fetchPrice</c>, <c>HTMLPage</c> → <c>htmlPage</c>, <c>Event</c> → <c>@event</c>.
    /// Binding ignores case, so any casing binds; this one is what C# parameters look like.
    /// </summary>
    public static string ForOutput(string outputName)
    {
        var chars = outputName.ToCharArray();
        for (var i = 0; i < chars.Length && char.IsUpper(chars[i]); i++)
        {
            // A leading run of capitals is lowered except its last letter when a word follows: HTMLPage → htmlPage.
            if (i > 0 && i + 1 < chars.Length && char.IsLower(chars[i + 1]))
            {
                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        var name = new string(chars);
        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.AwaitKeyword
            ? "@" + name
            : name;
    }
}
