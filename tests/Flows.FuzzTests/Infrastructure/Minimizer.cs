using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.FuzzTests.Infrastructure;

/// <summary>
/// Shrinks a failing input while the same failure class (<see cref="Finding.Key"/>) still occurs: whole files, then
/// members and attributes, one at a time, greedily. Bounded, so that a run with failures still ends soon.
/// </summary>
internal static class Minimizer
{
    public static FuzzInput Minimize(FuzzInput input, string key, int budget = 60)
    {
        var current = input with { PreviousFiles = ImmutableArray<FuzzFile>.Empty, Description = input.Description + "\n(minimized)" };
        if (!Fails(current, key))
        {
            return input; // Needs the incremental step to fail: keep it whole.
        }

        var calls = 0;
        // Files first.
        for (var i = current.Files.Length - 1; i >= 0 && current.Files.Length > 1 && calls < budget; i--)
        {
            var candidate = current with { Files = current.Files.RemoveAt(i) };
            calls++;
            if (Fails(candidate, key))
            {
                current = candidate;
            }
        }

        // Then nodes: members, attribute lists, parameters, statements; largest first.
        var progress = true;
        while (progress && calls < budget)
        {
            progress = false;
            for (var f = 0; f < current.Files.Length && calls < budget; f++)
            {
                var root = CSharpSyntaxTree.ParseText(current.Files[f].Text).GetRoot();
                var nodes = root.DescendantNodes()
                    .Where(n => n is MemberDeclarationSyntax or AttributeListSyntax or AttributeSyntax or ParameterSyntax or StatementSyntax or UsingDirectiveSyntax or AttributeArgumentSyntax)
                    .OrderByDescending(n => n.Span.Length)
                    .ToArray();
                foreach (var node in nodes)
                {
                    if (calls >= budget)
                    {
                        break;
                    }

                    string text;
                    try
                    {
                        var trimmed = root.RemoveNode(node, SyntaxRemoveOptions.KeepNoTrivia);
                        if (trimmed is null)
                        {
                            continue;
                        }

                        text = trimmed.ToFullString();
                    }
                    catch (InvalidOperationException)
                    {
                        continue;
                    }

                    var candidate = current with { Files = current.Files.SetItem(f, current.Files[f] with { Text = text }) };
                    calls++;
                    if (Fails(candidate, key))
                    {
                        current = candidate;
                        progress = true;
                        break;
                    }
                }

                if (progress)
                {
                    break;
                }
            }
        }

        return current;
    }

    private static bool Fails(FuzzInput input, string key)
    {
        try
        {
            return Oracle.Check(input, raceAnalysis: key.StartsWith(Invariants.AnalyzerThrew, StringComparison.Ordinal)).Findings.Any(f => f.Key == key);
        }
        catch (Exception)
        {
            return false;
        }
    }
}
