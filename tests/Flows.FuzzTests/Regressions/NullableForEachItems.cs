// fuzz-input description: a 'string?[]' foreach source whose item parameter is declared where nullable annotations are off (CS8620 in generated code).
// fuzz-input finding: I2 generated code has a diagnostic: CS8620
using System.Collections.Generic;
using Flows;

namespace Regressions.NullableItems;

[Workflow]
public partial class Lengths
{
#nullable enable
    [Step] public string?[] Names(int count) => new string?[count];
    [Step] public IEnumerable<string?> More(int count) => new string?[count];
#nullable disable
    [ParallelForEach(nameof(Names))] public int Length(string name) => name?.Length ?? 0;
    [ParallelForEach(nameof(More))] public int Other(object item) => item is null ? 0 : 1;
}
