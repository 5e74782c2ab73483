// fuzz-input family: mutation
// fuzz-input seed: 1157332732
// fuzz-input settings: disable 12.0
// fuzz-input expect-accepted: false
// fuzz-input description: EscapedNames: EscapedNames.cs: member '[Step] public int WithArglist(__arglist) => 0;'; delete token '@class'
// fuzz-input description: (minimized)
// fuzz-input finding: I6: code fix threw: MisnamedInputCodeFix FLOW014 ArgumentException
// fuzz-input finding: MisnamedInputCodeFix 'Rename '' to 'withArglist'' threw on FLOW014 EscapedNames.cs[316..319) 'int': Parameter '' of 'event' becomes a RunAsync input, but the output of 'WithArglist' (int) is consumed by no step; rename the parameter to 'withArglist' or add [FromStep(nameof(WithArglist))]:
// fuzz-input finding: System.ArgumentException: keyword
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.SyntaxFactory.PredefinedType(SyntaxToken keyword)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitPredefinedType(PredefinedTypeSyntax node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.Rename.CSharpRenameConflictLanguageService.RenameRewriter.Visit(SyntaxNode node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitParameter(ParameterSyntax node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.Rename.CSharpRenameConflictLanguageService.RenameRewriter.Visit(SyntaxNode node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitListElement[TNode](TNode node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitList[TNode](SeparatedSyntaxList`1 list)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitParameterList(ParameterListSyntax node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.Rename.CSharpRenameConflictLanguageService.RenameRewriter.Visit(SyntaxNode node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitMethodDeclaration(MethodDeclarationSyntax node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.Rename.CSharpRenameConflictLanguageService.RenameRewriter.Visit(SyntaxNode node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitListElement[TNode](TNode node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitList[TNode](SyntaxList`1 list)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitClassDeclaration(ClassDeclarationSyntax node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.Rename.CSharpRenameConflictLanguageService.RenameRewriter.Visit(SyntaxNode node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitListElement[TNode](TNode node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitList[TNode](SyntaxList`1 list)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitFileScopedNamespaceDeclaration(FileScopedNamespaceDeclarationSyntax node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.Rename.CSharpRenameConflictLanguageService.RenameRewriter.Visit(SyntaxNode node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitListElement[TNode](TNode node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitList[TNode](SyntaxList`1 list)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.CSharpSyntaxRewriter.VisitCompilationUnit(CompilationUnitSyntax node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CSharp.Rename.CSharpRenameConflictLanguageService.RenameRewriter.Visit(SyntaxNode node)
// fuzz-input finding:    at Microsoft.CodeAnalysis.Rename.ConflictEngine.ConflictResolver.Session.AnnotateAndRename_WorkerAsync(Solution originalSolution, Solution partiallyRenamedSolution, HashSet`1 documentIdsToRename, ImmutableArray`1 renameLocations, RenamedSpansTracker renameSpansTracker, Boolean replacementTextValid, ISet`1 conflictLocations, ImmutableArray`1 possibleNameConflicts)
// fuzz-input finding:    at Microsoft.CodeAnalysis.Rename.ConflictEngine.ConflictResolver.Session.ResolveConflictsAsync()
// fuzz-input finding:    at Microsoft.CodeAnalysis.Rename.ConflictEngine.ConflictResolver.ResolveSymbolicLocationConflictsInCurrentProcessAsync(SymbolicRenameLocations renameLocations, String replacementText, ImmutableArray`1 nonConflictSymbolKeys, CancellationToken cancellationToken)
// fuzz-input finding:    at Microsoft.CodeAnalysis.Rename.Renamer.RenameSymbolInCurrentProcessAsync(Solution solution, ISymbol symbol, String newName, SymbolRenameOptions options, ImmutableArray`1 nonConflictSymbolKeys, CancellationToken cancellationToken)
// fuzz-input finding:    at Microsoft.CodeAnalysis.Rename.Renamer.RenameSymbolAsync(Solution solution, ISymbol symbol, String newName, SymbolRenameOptions options, ImmutableArray`1 nonConflictSymbolKeys, CancellationToken cancellationToken)
// fuzz-input finding:    at Microsoft.CodeAnalysis.Rename.Renamer.RenameSymbolAsync(Solution solution, ISymbol symbol, SymbolRenameOptions options, String newName, CancellationToken cancellationToken)
// fuzz-input finding:    at Flows.CodeFixes.MisnamedInputCodeFix.RenameAsync(Document document, ParameterSyntax parameter, String newName, CancellationToken cancellationToken) in /work/wt/fuzz50k/src/Flows.CodeFixes/MisnamedInputCodeFix.cs:line 113
// fuzz-input finding:    at Microsoft.CodeAnalysis.CodeActions.CodeAction.ComputeOperationsAsync(IProgress`1 progress, CancellationToken cancellationToken)
// fuzz-input finding:    at Microsoft.CodeAnalysis.CodeActions.CodeAction.GetOperationsCoreAsync(Solution originalSolution, IProgress`1 progress, CancellationToken cancellationToken)
// fuzz-input finding:    at Flows.Analyzers.Tests.CodeFixes.CodeFixHarness.ApplyAsync(CodeAction action) in /work/wt/fuzz50k/tests/Flows.Analyzers.Tests/CodeFixes/CodeFixHarness.cs:line 297
// fuzz-input finding:    at Flows.Analyzers.Tests.CodeFixes.CodeFixHarness.ApplyOfferedFixesAsync(Solution solution, Diagnostic[] before, IEnumerable`1 targets) in /work/wt/fuzz50k/tests/Flows.Analyzers.Tests/CodeFixes/CodeFixHarness.cs:line 261
// ===== file: EscapedNames.cs =====
using Flows;

namespace Samples.Escaping;

// Keywords as names, and inputs that take the names the generated code would like to use.
[Workflow]
public partial class Keywords
{
    [Step] public int WithArglist() => 0;

    [Step]
    public int @event(int ) => @class + control.Length;
}
