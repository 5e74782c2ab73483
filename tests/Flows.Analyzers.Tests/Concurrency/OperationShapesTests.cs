using Flows.Analyzers.Concurrency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>The shape questions of <see cref="OperationShapes"/> that the walker and its parts share.</summary>
public class OperationShapesTests
{
    private const string Source = """
        public struct Pair { public int Left; public int Right; }

        public class Shapes
        {
            private Pair _pair;
            private int _n;
            private double _d;

            public async Task<int> M(SemaphoreSlim gate, bool flag)
            {
                if (flag) { return 1; }
                if (flag) { throw new InvalidOperationException(); }
                if (flag) { }
                if (flag) { _n = 1; }
                gate.Wait();
                await gate.WaitAsync().ConfigureAwait(false);
                var waited = gate.Wait(10);
                var copy = _pair;
                copy.Left = 1;
                _pair.Right = 2;
                _n += 1;
                _n *= 2;
                _d += 1;
                Func<int, int> f = x => x + 1;
                return waited ? 1 : 0;
            }
        }
        """;

    private static readonly WalkerFixture s_fixture = WalkerFixture.Compile(Source);
    private static readonly IOperation s_body = s_fixture.Body(s_fixture.Method("Shapes.M"));

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    public void Says_whether_a_branch_always_leaves(int branch, bool exits) =>
        Assert.Equal(exits, OperationShapes.AlwaysExits(s_body.Descendants().OfType<IConditionalOperation>().ElementAt(branch).WhenTrue));

    [Theory]
    [InlineData("gate.Wait()", true)]
    [InlineData("gate.WaitAsync()", true)]
    [InlineData("gate.Wait(10)", false)]
    public void Says_whether_a_call_is_a_statement_of_its_own(string call, bool statement) =>
        Assert.Equal(statement, OperationShapes.IsStatement(WalkerFixture.Find<IInvocationOperation>(s_body, call)));

    [Theory]
    [InlineData("copy.Left", true)]
    [InlineData("_pair.Right", false)]
    public void Says_whether_a_field_is_in_a_struct_copied_into_a_local(string target, bool inCopy) =>
        Assert.Equal(inCopy, OperationShapes.IsInLocalCopy(WalkerFixture.Find<IFieldReferenceOperation>(s_body, target)));

    [Theory]
    [InlineData("_n += 1", "+")]
    [InlineData("_n *= 2", null)]
    [InlineData("_d += 1", null)]
    public void Names_the_operator_of_an_integer_read_modify_write(string assignment, string? op)
    {
        var compound = WalkerFixture.Find<ICompoundAssignmentOperation>(s_body, assignment);
        Assert.Equal(op, OperationShapes.CompoundOperator(compound.Target, compound.OperatorKind));
    }

    [Fact]
    public void Finds_the_lambda_under_its_delegate_conversion_and_unwraps_conversions()
    {
        var declarator = s_body.Descendants().OfType<IVariableDeclaratorOperation>().Single(d => d.Symbol.Name == "f");
        Assert.NotNull(OperationShapes.LambdaOf(declarator.Initializer!.Value));
        var converted = WalkerFixture.Find<IConversionOperation>(s_body, "1", occurrence: 0);
        Assert.IsAssignableFrom<ILiteralOperation>(OperationShapes.Unwrap(converted));
    }

    [Fact]
    public void Names_the_member_a_use_goes_through()
    {
        Assert.Equal("Wait", OperationShapes.MemberName(WalkerFixture.Find<IInvocationOperation>(s_body, "gate.Wait()")));
        Assert.Equal(string.Empty, OperationShapes.MemberName(WalkerFixture.Find<IFieldReferenceOperation>(s_body, "_pair.Right")));
    }
}
