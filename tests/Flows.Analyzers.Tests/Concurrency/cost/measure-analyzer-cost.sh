#!/usr/bin/env bash
# Measures what the Flows analyzers add to a build: generates a project of 200 workflows (10 steps each, groups,
# foreach steps, helpers, locks, Interlocked, collections) plus 800 ordinary files under /tmp, builds it with
# -p:ReportAnalyzer=true, and prints the analyzers' own time next to the whole build's time. Then it compares the
# compiler's time with and without the analyzer reference, through a warm compiler server. Nothing is written into
# the repository.
#
#   tests/Flows.Analyzers.Tests/Concurrency/cost/measure-analyzer-cost.sh [runs]
#
# FLOWS_COST_BASELINE=/path/to/another/checkout adds a third mode, the analyzers of that checkout (say, a worktree at
# an earlier commit), alternating with the other two: whether a change made the analysis cost more.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
out="${FLOWS_COST_DIR:-/tmp/flows-analyzer-cost}"
runs="${1:-3}"
workflows=200
others=800

rm -rf "$out"
mkdir -p "$out/Workflows" "$out/Other"

cat > "$out/Cost.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <NoWarn>\$(NoWarn);CS1998;CS0169;CS0414;CS0649</NoWarn>
    <WithFlowsAnalyzers Condition="'\$(WithFlowsAnalyzers)' == ''">true</WithFlowsAnalyzers>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$repo/src/Flows.Abstractions/Flows.Abstractions.csproj" />
    <ProjectReference Include="$repo/src/Flows.Generator/Flows.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
    <ProjectReference Include="$repo/src/Flows.Analyzers/Flows.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" Condition="'\$(WithFlowsAnalyzers)' == 'true'" />
    <ProjectReference Include="${FLOWS_COST_BASELINE:-$repo}/src/Flows.Analyzers/Flows.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" Condition="'\$(WithFlowsAnalyzers)' == 'baseline'" />
  </ItemGroup>
</Project>
XML
# Keep the repository's Directory.Build.props and central package management out of the generated project.
echo '<Project />' > "$out/Directory.Build.props"
echo '<Project />' > "$out/Directory.Build.targets"
echo '<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>' > "$out/Directory.Packages.props"

for i in $(seq 1 $workflows); do
cat > "$out/Workflows/Workflow$i.cs" <<CS
using Flows;
using System.Collections.Concurrent;

namespace Cost.Workflows;

public sealed class Store$i
{
    private readonly object _gate = new();
    private readonly List<int> _saved = new();
    public void Save(int value) { lock (_gate) { _saved.Add(value); } }
    public int Count { get { lock (_gate) { return _saved.Count; } } }
}

[Workflow]
public partial class Workflow$i(Store$i store, HttpClient http)
{
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<int, int> _cache = new();
    private readonly Dictionary<string, int> _prices = new() { ["a"] = 1 };
    private readonly int[] _slots = new int[16];
    private int _total;
    private int _locked;

    [Step] public Task<int[]> Load(int seed, CancellationToken ct) => Task.FromResult(new[] { seed, seed + 1, seed + 2 });

    [Step, Parallel("checks")] public async Task<bool> CheckA(int[] load, CancellationToken ct) { await Task.Yield(); return Price("a") + load.Length > 0; }
    [Step, Parallel("checks")] public bool CheckB(int[] load) { lock (_gate) { _locked += load.Length; } return _prices.ContainsKey("a"); }
    [Step, Parallel("checks")] public Task<string> CheckC(CancellationToken ct) => http.GetStringAsync("https://example.invalid/$i", ct);

    [ParallelForEach(nameof(Load), MaxDegreeOfParallelism = 4)]
    public async Task<int> Process(int item, StepContext context, CancellationToken ct)
    {
        await Task.Delay(0, ct);
        Interlocked.Add(ref _total, item);
        _slots[context.Index % 16] = item;
        _cache.TryAdd(item, item * 2);
        store.Save(item);
        return Square(item);
    }

    [Step] public int Sum(IReadOnlyList<int> process) => process.Sum() + Volatile.Read(ref _total);

    [Step, Parallel("finish")] public int FinishA(int sum) => sum + Price("a");
    [Step, Parallel("finish")] public int FinishB(int sum) => sum * 2 + store.Count;
    [Step, Parallel("finish")] public async Task<int> FinishC(int sum, CancellationToken ct) { await Task.Delay(0, ct); return sum; }

    [Step] public int Total(int finishA, int finishB, int finishC) => finishA + finishB + finishC;

    private int Price(string name) => _prices.TryGetValue(name, out var price) ? price : Helper.Round(price);
    private static int Square(int value) => Helper.Round(value * value);
}
CS
done

cat > "$out/Other/Helper.cs" <<'CS'
namespace Cost;
public static class Helper { public static int Round(int value) => value - value % 1; }
CS
for i in $(seq 1 $others); do
cat > "$out/Other/Model$i.cs" <<CS
namespace Cost.Models;

public sealed class Model$i
{
    private readonly List<string> _names = new();
    private int _count;
    public string Name { get; set; } = "model$i";
    public void Add(string name) { _names.Add(name); _count++; }
    public int Score(IEnumerable<int> values) => values.Where(v => v > $i % 7).Select(v => v * 2).Sum() + _count;
    public override string ToString() => string.Join(",", _names) + Name;
}
CS
done

cd "$out"
dotnet restore -v:q >/dev/null
# Release throughout: the project references build the Flows analyzers in the configuration of the build, and a
# Debug analyzer runs unoptimized, which is not what a user gets from the package.
dotnet build -c Release -v:q -p:WithFlowsAnalyzers=true >/dev/null   # warm up: builds the Flows projects once
modes="false true"
if [ -n "${FLOWS_COST_BASELINE:-}" ]; then
  dotnet build -c Release -v:q -p:WithFlowsAnalyzers=baseline >/dev/null   # builds the baseline's analyzers
  modes="false baseline true"
fi

echo "== analyzer time reported by the compiler (-p:ReportAnalyzer=true)"
dotnet build -c Release --no-incremental -v:d -clp:PerformanceSummary -p:ReportAnalyzer=true -p:WithFlowsAnalyzers=true -p:BuildProjectReferences=false > "$out/report.log"
grep -E "Total analyzer execution time|StepConcurrencyAnalyzer|WorkflowAnalyzer \(|Flows\.Analyzers, Version|NetAnalyzers, Version|Total generator execution time" "$out/report.log" | sed 's/^ *//'
grep -E "^ +[0-9]+ ms +Csc " "$out/report.log" | sed 's/^ *//' || true
grep -E "^Time Elapsed" "$out/report.log" | tail -1 || true

echo "== Csc time through a warm compiler server, $runs builds each, alternating (only the analyzer reference differs)"
# This is how users build (dotnet build and the IDE use the shared compiler server), and it keeps the JIT out of the
# comparison: in a fresh compiler process the analyzers' own code and the compiler paths they use are compiled first.
# Two builds of each mode warm the server up; then the modes alternate so that a change in the machine's load falls
# on both alike. The figure is the Csc task's time from the performance summary.
dotnet build-server shutdown >/dev/null 2>&1 || true
declare -A total=([false]=0 [true]=0 [baseline]=0)
for r in $(seq -1 "$runs"); do
  for mode in $modes; do
    csc=$(dotnet build -c Release --no-incremental -v:n -clp:PerformanceSummary -p:UseSharedCompilation=true \
            -p:WithFlowsAnalyzers=$mode -p:BuildProjectReferences=false | grep -E "^ +[0-9]+ ms +Csc " | awk '{print $1}')
    if [ "$r" -ge 1 ]; then
      total[$mode]=$(( ${total[$mode]} + csc ))
      echo "  run $r analyzers=$mode: Csc ${csc} ms"
    fi
  done
done
for mode in $modes; do
  echo "  analyzers=$mode mean Csc: $(( ${total[$mode]} / runs )) ms"
done
awk -v with="${total[true]}" -v without="${total[false]}" \
  'BEGIN { printf "  Flows analyzers add: %.1f %% of Csc\n", (with - without) * 100 / without }'
if [ -n "${FLOWS_COST_BASELINE:-}" ]; then
  awk -v with="${total[true]}" -v base="${total[baseline]}" -v without="${total[false]}" \
    'BEGIN { printf "  baseline analyzers add: %.1f %% of Csc; this checkout minus baseline: %+.1f %% of Csc\n", (base - without) * 100 / without, (with - base) * 100 / without }'
fi
dotnet build-server shutdown >/dev/null 2>&1 || true
