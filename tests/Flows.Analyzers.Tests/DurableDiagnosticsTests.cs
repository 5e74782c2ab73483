using Flows.Generator;
using Flows.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>
/// FLOW015 (a durable workflow uses something with no durable meaning) and FLOW016 (<c>Durable = true</c> without a
/// reference to Flows.DurableTask): every case of docs/diagnostics/FLOW015.md and FLOW016.md, the durable workflows that
/// must stay clean, RunAsync still generated beside a durable error, and half-typed input.
/// </summary>
public class DurableDiagnosticsTests
{
    private const string Usings =
        """
        using Flows;
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    // DiagnosticIds is compiled into both Flows.Analyzers and Flows.CodeFixes, so the test names the IDs itself.
    private const string NotDurable = "FLOW015";
    private const string DurableTaskNotReferenced = "FLOW016";
    private const string NotGenerated = "FLOW017";

    private const string Wire = ", which cannot cross the wire between orchestration and activities";

    // ---------------------------------------------------------------- FLOW016

    [Fact]
    public Task Durable_true_without_the_reference_is_flagged_on_the_Durable_argument() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            public sealed record Order(int Id);

            [Workflow({|FLOW016:Durable = true|})]
            public partial class Checkout
            {
                [Step] public Order LoadOrder(int orderId) => new(orderId);
            }
            """,
            new[] { "Checkout" });

    [Fact]
    public Task Durable_true_among_other_options_is_flagged_on_its_own_argument() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            namespace Shop.Orders;

            [Workflow(TimeoutMilliseconds = 5000, {|FLOW016:Durable = true|}, Scheduling = Scheduling.Dataflow)]
            public partial class Refund
            {
                [Step] public int FindPayment(int orderId) => orderId;
            }
            """,
            new[] { "Refund" });

    [Fact]
    public Task Durable_true_with_the_reference_is_not_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            public sealed record Order(int Id);

            [Workflow(Durable = true)]
            public partial class Checkout
            {
                [Step] public Order LoadOrder(int orderId) => new(orderId);
            }
            """);

    [Theory]
    [InlineData("[Workflow]")]
    [InlineData("[Workflow(Durable = false)]")]
    [InlineData("[Workflow(TimeoutMilliseconds = 100)]")]
    public Task Without_Durable_true_the_reference_is_not_needed(string attribute) =>
        AnalyzerVerifier.VerifyAsync(
            Usings + attribute + """

            public partial class Checkout
            {
                [Step] public Stream Open(string path) => File.OpenRead(path);
                [Step] public long Length(Stream open) => open.Length;
            }
            """);

    [Fact]
    public Task Without_the_reference_what_cannot_run_durably_is_still_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            [Workflow({|FLOW016:Durable = true|})]
            public partial class Report
            {
                [Step] public Stream {|FLOW015:Open|}(string path) => File.OpenRead(path);
                [Step] public long Length(Stream open) => open.Length;
            }
            """,
            new[] { "Report" },
            new[] { "Report", "the value of step 'Open' (System.IO.Stream) is a stream" + Wire });

    // ---------------------------------------------------------------- FLOW015: what crosses the wire

    [Fact]
    public Task Stream_as_a_step_value_is_flagged_on_the_step() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            public sealed record Report(long Size);

            [Workflow(Durable = true)]
            public partial class ReportWorkflow
            {
                [Step] public Task<Stream> {|FLOW015:OpenAsync|}(string path, CancellationToken ct) => Task.FromResult<Stream>(File.OpenRead(path));
                [Step] public Report Parse(Stream open) => new(open.Length);
            }
            """,
            new[] { "ReportWorkflow", "the value of step 'OpenAsync' (System.IO.Stream) is a stream" + Wire });

    [Fact]
    public Task A_class_derived_from_Stream_as_a_step_value_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Buffer
            {
                [Step] public MemoryStream {|FLOW015:Fill|}(int size) => new(new byte[size]);
            }
            """,
            new[] { "Buffer", "the value of step 'Fill' (System.IO.MemoryStream) is a stream" + Wire });

    [Fact]
    public Task Task_as_a_workflow_input_is_flagged_on_the_parameter() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Waiter
            {
                [Step] public async Task<int> WaitAsync(Task<int> {|FLOW015:pending|}) => await pending;
            }
            """,
            new[] { "Waiter", "input 'pending' (System.Threading.Tasks.Task<int>) is a task" + Wire });

    [Fact]
    public Task ValueTask_inside_a_step_value_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Waiter
            {
                [Step] public List<ValueTask> {|FLOW015:Start|}() => new();
            }
            """,
            new[] { "Waiter", "the value of step 'Start' (System.Collections.Generic.List<System.Threading.Tasks.ValueTask>) is a task" + Wire });

    [Fact]
    public Task Delegate_as_a_workflow_input_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Transform
            {
                [Step] public int Apply(int value, Func<int, int> {|FLOW015:transform|}) => transform(value);
            }
            """,
            new[] { "Transform", "input 'transform' (System.Func<int, int>) is a delegate" + Wire });

    [Fact]
    public Task Delegate_as_a_step_value_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            public delegate int Rule(int value);

            [Workflow(Durable = true)]
            public partial class Transform
            {
                [Step] public Rule {|FLOW015:Choose|}(int kind) => v => v * kind;
                [Step] public int Apply(int value, Rule choose) => choose(value);
            }
            """,
            new[] { "Transform", "the value of step 'Choose' (Rule) is a delegate" + Wire });

    [Fact]
    public Task CancellationTokenSource_as_a_step_value_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Cancel
            {
                [Step] public CancellationTokenSource {|FLOW015:Source|}(int milliseconds) => new(milliseconds);
            }
            """,
            new[] { "Cancel", "the value of step 'Source' (System.Threading.CancellationTokenSource) is a cancellation token or its source" + Wire });

    [Fact]
    public Task CancellationToken_as_a_step_value_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Cancel
            {
                [Step] public CancellationToken {|FLOW015:Token|}(CancellationToken ct) => ct;
            }
            """,
            new[] { "Cancel", "the value of step 'Token' (System.Threading.CancellationToken) is a cancellation token or its source" + Wire });

    [Fact]
    public Task Object_as_a_workflow_input_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Audit
            {
                [Step] public string Describe(object {|FLOW015:payload|}) => payload.ToString() ?? "";
            }
            """,
            new[] { "Audit", "input 'payload' (object) is object, whose type the data converter cannot know when it reads it back" + Wire });

    [Fact]
    public Task Object_inside_a_step_value_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Audit
            {
                [Step] public Dictionary<string, object> {|FLOW015:Fields|}() => new();
            }
            """,
            new[] { "Audit", "the value of step 'Fields' (System.Collections.Generic.Dictionary<string, object>) is object, whose type the data converter cannot know when it reads it back" + Wire });

    [Fact]
    public Task Dynamic_as_a_workflow_input_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Audit
            {
                [Step] public string Describe(dynamic {|FLOW015:payload|}) => "x";
            }
            """,
            new[] { "Audit", "input 'payload' (dynamic) is object, whose type the data converter cannot know when it reads it back" + Wire });

    [Fact]
    public Task Interface_as_a_step_value_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            public interface IShape { double Area { get; } }
            public sealed record Square(double Side) : IShape { public double Area => Side * Side; }

            [Workflow(Durable = true)]
            public partial class Geometry
            {
                [Step] public IShape {|FLOW015:Make|}(double side) => new Square(side);
                [Step] public double Area(IShape make) => make.Area;
            }
            """,
            new[] { "Geometry", "the value of step 'Make' (IShape) is an interface, which the data converter cannot create when it reads the value back" + Wire });

    [Fact]
    public Task Interface_inside_a_collection_is_flagged_but_the_collection_interface_is_not() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            public interface IShape { double Area { get; } }

            [Workflow(Durable = true)]
            public partial class Geometry
            {
                [Step] public IReadOnlyList<IShape> {|FLOW015:Make|}() => Array.Empty<IShape>();
            }
            """,
            new[] { "Geometry", "the value of step 'Make' (System.Collections.Generic.IReadOnlyList<IShape>) is an interface, which the data converter cannot create when it reads the value back" + Wire });

    [Fact]
    public Task Framework_interface_outside_the_collections_as_a_workflow_input_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Sorter
            {
                [Step] public int Compare(IComparable<int> {|FLOW015:key|}) => key.CompareTo(0);
            }
            """,
            new[] { "Sorter", "input 'key' (System.IComparable<int>) is an interface, which the data converter cannot create when it reads the value back" + Wire });

    [Fact]
    public Task Abstract_class_as_a_step_value_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            public abstract class Shape { public abstract double Area { get; } }
            public sealed class Circle(double radius) : Shape { public override double Area => 3.14 * radius * radius; }

            [Workflow(Durable = true)]
            public partial class Geometry
            {
                [Step] public Shape {|FLOW015:Make|}(double radius) => new Circle(radius);
            }
            """,
            new[] { "Geometry", "the value of step 'Make' (Shape) is an abstract class, which the data converter cannot create when it reads the value back" + Wire });

    [Fact]
    public Task Foreach_item_that_cannot_cross_the_wire_is_flagged_on_the_item_parameter() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Sizes
            {
                [Step] public Stream[] {|FLOW015:Open|}(string[] paths) => Array.ConvertAll(paths, p => (Stream)File.OpenRead(p));
                [ParallelForEach(nameof(Open))] public long Measure(Stream {|FLOW015:stream|}) => stream.Length;
            }
            """,
            new[] { "Sizes", "the value of step 'Open' (System.IO.Stream[]) is a stream" + Wire },
            new[] { "Sizes", "the item of foreach step 'Measure' (System.IO.Stream) is a stream" + Wire });

    [Fact]
    public Task Foreach_over_an_input_of_objects_is_flagged_once_on_the_source() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Audit
            {
                [ParallelForEach({|FLOW015:"payloads"|})] public string Describe(object payload) => payload.ToString() ?? "";
            }
            """,
            new[] { "Audit", "input 'payloads' (System.Collections.Generic.IReadOnlyList<object>) is object, whose type the data converter cannot know when it reads it back" + Wire });

    [Fact]
    public Task Foreach_item_converted_to_an_interface_is_flagged_on_the_item_parameter() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            public interface IShape { double Area { get; } }
            public sealed record Square(double Side) : IShape { public double Area => Side * Side; }

            [Workflow(Durable = true)]
            public partial class Geometry
            {
                [Step] public Square[] Squares(int count) => new Square[count];
                [ParallelForEach(nameof(Squares))] public double Area(IShape {|FLOW015:shape|}) => shape.Area;
            }
            """,
            new[] { "Geometry", "the item of foreach step 'Area' (IShape) is an interface, which the data converter cannot create when it reads the value back" + Wire });

    [Fact]
    public Task Foreach_item_that_is_an_Outcome_is_flagged_on_the_item_parameter() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Import
            {
                [ParallelForEach("rows", ContinueOnError = true)] public int Parse(string row) => row.Length;
                [ParallelForEach(nameof(Parse))] public int Handle(Outcome<int> {|FLOW015:parse|}) => parse.IsSuccess ? 1 : 0;
            }
            """,
            new[] { "Import", "the item of foreach step 'Handle' (Flows.Outcome<int>) is an Outcome, which crosses only as a step's output, not as a foreach item" + Wire });

    [Fact]
    public Task Consumed_output_of_a_continue_on_error_step_that_cannot_cross_the_wire_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class ReportWorkflow
            {
                [Step(ContinueOnError = true)] public Stream {|FLOW015:Open|}(string path) => File.OpenRead(path);
                [Step] public long Length(Outcome<Stream> open) => open.IsSuccess ? open.Value.Length : 0;
            }
            """,
            new[] { "ReportWorkflow", "the value of step 'Open' (System.IO.Stream) is a stream" + Wire });

    [Fact]
    public Task Consumed_output_of_a_foreach_that_cannot_cross_the_wire_is_flagged_once() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Opener
            {
                [ParallelForEach("paths", ContinueOnError = true)] public Stream {|FLOW015:Open|}(string path) => File.OpenRead(path);
                [Step] public int Count(IReadOnlyList<Outcome<Stream>> open) => open.Count;
            }
            """,
            new[] { "Opener", "the value of step 'Open' (System.IO.Stream) is a stream" + Wire });

    [Fact]
    public Task IAsyncEnumerable_foreach_source_is_flagged_on_the_source_argument() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Feed
            {
                [Step]
                public async IAsyncEnumerable<int> {|FLOW015:Produce|}(int count)
                {
                    for (var i = 0; i < count; i++)
                    {
                        await Task.Yield();
                        yield return i;
                    }
                }

                [ParallelForEach({|FLOW015:nameof(Produce)|})] public int Handle(int item) => item * 2;
            }
            """,
            new[] { "Feed", "the value of step 'Produce' (System.Collections.Generic.IAsyncEnumerable<int>) is an asynchronous stream (IAsyncEnumerable)" + Wire },
            new[] { "Feed", "the source of foreach step 'Handle' is an IAsyncEnumerable, a stream an activity cannot hand to the orchestration item by item; produce a list instead" });

    [Fact]
    public Task Step_that_returns_an_Outcome_itself_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Pricing
            {
                [Step] public Outcome<decimal> {|FLOW015:Discount|}(int orderId) => Outcome<decimal>.Success(0.1m);
                [Step] public decimal Total(Outcome<decimal> discount) => discount.IsSuccess ? 90m : 100m;
            }
            """,
            new[] { "Pricing", "the value of step 'Discount' (Flows.Outcome<decimal>) is an Outcome the step makes itself (return the value or throw, and mark the step [Step(ContinueOnError = true)])" + Wire });

    [Fact]
    public Task Continue_on_error_step_that_returns_an_Outcome_itself_is_flagged_once() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Pricing
            {
                [Step(ContinueOnError = true)] public Task<Outcome<decimal>> {|FLOW015:DiscountAsync|}(int orderId) => Task.FromResult(Outcome<decimal>.Success(0.1m));
            }
            """,
            new[] { "Pricing", "the value of step 'DiscountAsync' (Flows.Outcome<decimal>) is an Outcome the step makes itself (return the value or throw, and mark the step [Step(ContinueOnError = true)])" + Wire });

    [Fact]
    public Task Step_that_returns_a_list_of_Outcomes_itself_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Pricing
            {
                [Step] public IReadOnlyList<Outcome<decimal>> {|FLOW015:Discounts|}() => new[] { Outcome<decimal>.Success(0.1m) };
            }
            """,
            new[] { "Pricing", "the value of step 'Discounts' (System.Collections.Generic.IReadOnlyList<Flows.Outcome<decimal>>) is an Outcome inside another type (an Outcome crosses only as the output Flows makes for a step that may fail, or a list of them)" + Wire });

    [Fact]
    public Task Outcome_nested_inside_another_type_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Pricing
            {
                [Step] public List<Outcome<int>> {|FLOW015:Tries|}() => new();
            }
            """,
            new[] { "Pricing", "the value of step 'Tries' (System.Collections.Generic.List<Flows.Outcome<int>>) is an Outcome inside another type (an Outcome crosses only as the output Flows makes for a step that may fail, or a list of them)" + Wire });

    [Fact]
    public Task Outcome_nested_inside_the_output_of_a_continue_on_error_step_is_flagged() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Pricing
            {
                [Step(ContinueOnError = true)] public Dictionary<string, Outcome<int>> {|FLOW015:Tries|}() => new();
            }
            """,
            new[] { "Pricing", "the value of step 'Tries' (System.Collections.Generic.Dictionary<string, Flows.Outcome<int>>) is an Outcome inside another type (an Outcome crosses only as the output Flows makes for a step that may fail, or a list of them)" + Wire });

    // ---------------------------------------------------------------- FLOW015: the workflow class

    [Fact]
    public Task Generic_workflow_is_flagged_on_its_name() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class {|FLOW015:Mapper|}<T>
            {
                [Step] public int Count(int size) => size;
            }
            """,
            new[] { "Mapper", "'Mapper' is generic, and an orchestration has one name on the task hub" });

    [Fact]
    public Task Workflow_nested_in_a_generic_type_is_flagged_on_its_own_name() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            public partial class Outer<T>
            {
                [Workflow(Durable = true)]
                public partial class {|FLOW015:Inner|}
                {
                    [Step] public int Count(int size) => size;
                }
            }
            """,
            new[] { "Inner", "'Outer' is generic, and an orchestration has one name on the task hub" });

    [Fact]
    public Task Abstract_workflow_is_flagged_on_its_name() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public abstract partial class {|FLOW015:Checkout|}
            {
                [Step] public int Count(int size) => size;
            }
            """,
            new[] { "Checkout", "'Checkout' is abstract, and each activity creates the workflow to run its step" });

    [Theory]
    [InlineData("private")]
    [InlineData("protected")]
    [InlineData("private protected")]
    public Task Workflow_without_a_public_or_internal_constructor_is_flagged_on_its_name(string accessibility) =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class {|FLOW015:Checkout|}
            {
                ACCESSIBILITY Checkout() { }

                [Step] public int Count(int size) => size;
            }
            """.Replace("ACCESSIBILITY", accessibility, StringComparison.Ordinal),
            new[] { "Checkout", "'Checkout' has no public or internal constructor, and each activity creates the workflow to run its step" });

    [Fact]
    public Task Workflow_with_two_constructors_of_the_most_parameters_is_flagged_on_its_name() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            public interface IShop { }
            public interface IClock { }

            [Workflow(Durable = true)]
            public partial class {|FLOW015:Checkout|}
            {
                public Checkout() { }
                public Checkout(IShop shop) { }
                public Checkout(IClock clock) { }

                [Step] public int Count(int size) => size;
            }
            """,
            new[] { "Checkout", "'Checkout' has several constructors with 1 parameters, and an activity cannot tell which one to call; keep one with the most parameters" });

    [Fact]
    public Task Two_constructors_of_the_same_count_are_not_flagged_when_a_third_has_more() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            public interface IShop { }
            public interface IClock { }

            [Workflow(Durable = true)]
            public partial class Checkout
            {
                public Checkout(IShop shop) { }
                public Checkout(IClock clock) { }
                public Checkout(IShop shop, IClock clock) { }

                [Step] public int Count(int size) => size;
            }
            """);

    [Theory]
    [InlineData("ref int")]
    [InlineData("out int")]
    [InlineData("in int")]
    [InlineData("ref readonly int")]
    [InlineData("Span<int>")]
    public Task Constructor_parameter_the_worker_cannot_resolve_is_flagged_on_the_parameter(string parameter) =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Checkout
            {
                public Checkout(PARAMETER {|FLOW015:seed|}) { BODY }

                [Step] public int Count(int size) => size;
            }
            """.Replace("PARAMETER", parameter, StringComparison.Ordinal).Replace("BODY", parameter.StartsWith("out", StringComparison.Ordinal) ? "seed = 0;" : string.Empty, StringComparison.Ordinal),
            new[] { "Checkout", "constructor parameter 'seed' cannot be resolved from the worker's services" });

    [Theory]
    [InlineData("int", "int")]
    [InlineData("string", "string")]
    [InlineData("DayOfWeek", "System.DayOfWeek")]
    [InlineData("TimeSpan", "System.TimeSpan")]
    [InlineData("int?", "int?")]
    public Task Constructor_parameter_that_is_a_value_is_flagged_on_the_parameter(string parameter, string shown) =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Checkout
            {
                public Checkout(PARAMETER {|FLOW015:seed|}) { }

                [Step] public int Count(int size) => size;
            }
            """.Replace("PARAMETER", parameter, StringComparison.Ordinal),
            new[] { "Checkout", $"constructor parameter 'seed' ({shown}) is a value, not a service the worker's container can supply; make it a step parameter (a workflow input) or put it in a class registered as a service" });

    [Fact]
    public Task Workflow_class_named_Durable_is_flagged_on_its_name() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            namespace Shop;

            [Workflow(Durable = true)]
            public partial class {|FLOW015:Durable|}
            {
                [Step] public int Count(int size) => size;
            }
            """,
            new[] { "Durable", "the class is named Durable, the name of the nested class Flows generates into it; rename the class" });

    [Theory]
    [InlineData("public int {|FLOW015:Durable|} => 1;")]
    [InlineData("public static void {|FLOW015:Durable|}() { }")]
    [InlineData("private readonly string {|FLOW015:Durable|} = \"\";")]
    [InlineData("public sealed class {|FLOW015:Durable|} { }")]
    [InlineData("public event EventHandler? {|FLOW015:Durable|};")]
    public Task Member_named_Durable_is_flagged_on_the_member(string member) =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Checkout
            {
                MEMBER

                [Step] public int Count(int size) => size;
            }
            """.Replace("MEMBER", member, StringComparison.Ordinal),
            new[] { "Checkout", "'Checkout' already has a member named Durable, the name of the nested class Flows generates into it; rename the member" });

    [Fact]
    public Task Several_members_named_Durable_are_flagged_once() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Checkout
            {
                public void {|FLOW015:Durable|}() { }
                public void Durable(int x) { }

                [Step] public int Count(int size) => size;
            }
            """,
            new[] { "Checkout", "'Checkout' already has a member named Durable, the name of the nested class Flows generates into it; rename the member" });

    [Fact]
    public Task Durable_false_is_not_checked_for_what_cannot_run_durably() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = false)]
            public abstract partial class Report<T>
            {
                public int Durable => 1;

                [Step] public Stream Open(string path) => File.OpenRead(path);
                [Step] public Outcome<long> Length(Stream open, Func<int, int> scale) => Outcome<long>.Success(open.Length);
            }
            """);

    // ---------------------------------------------------------------- FLOW015: clean durable workflows

    [Fact]
    public Task Records_arrays_and_collections_of_records_are_not_flagged() =>
        VerifyDurableWorkflowIsGeneratedAsync(
            Usings + """
            namespace Shop;

            public sealed record Order(int Id, string Customer, decimal Total);
            public sealed record Line(string Sku, int Quantity);
            public enum Tier { Basic, Gold }

            [Workflow(Durable = true)]
            public partial class Checkout
            {
                [Step] public Order LoadOrder(int orderId, string customer) => new(orderId, customer, 10m);
                [Step] public Line[] Lines(Order loadOrder) => new[] { new Line("a", 1) };
                [Step] public IReadOnlyList<Line> Sorted(Line[] lines) => lines;
                [Step] public IEnumerable<Line> Filtered(IReadOnlyList<Line> sorted) => sorted;
                [Step] public Dictionary<string, Line> BySku(IEnumerable<Line> filtered) => new();
                [Step] public IReadOnlyDictionary<string, int[]> Counts(Dictionary<string, Line> bySku) => new Dictionary<string, int[]>();
                [Step] public Tier Classify(Order loadOrder, DateTimeOffset now, Guid requestId) => Tier.Basic;
                [Step] public decimal? Discount(Tier classify, IReadOnlyDictionary<string, int[]> counts) => null;
            }
            """);

    [Fact]
    public Task Continue_on_error_step_consumed_as_an_Outcome_is_not_flagged() =>
        VerifyDurableWorkflowIsGeneratedAsync(
            Usings + """
            namespace Shop;

            public sealed record Quote(string Carrier, decimal Price);

            [Workflow(Durable = true)]
            public partial class Shipping
            {
                [Step(ContinueOnError = true)] public Task<Quote> UpsAsync(string zip, CancellationToken ct) => Task.FromResult(new Quote("ups", 5m));
                [Step] public decimal Best(Outcome<Quote> ups) => ups.IsSuccess ? ups.Value.Price : 10m;
            }
            """);

    [Fact]
    public Task Continue_on_error_group_consumed_as_Outcomes_is_not_flagged() =>
        VerifyDurableWorkflowIsGeneratedAsync(
            Usings + """
            namespace Shop;

            public sealed record Quote(string Carrier, decimal Price);

            [Workflow(Durable = true)]
            public partial class Shipping
            {
                [Step, Parallel("quotes", Failure = FailurePolicy.ContinueOnError, MinSuccessCount = 1)] public Quote Ups(string zip) => new("ups", 5m);
                [Step, Parallel("quotes")] public Quote Fedex(string zip) => new("fedex", 6m);
                [Step] public decimal Best(Outcome<Quote> ups, Outcome<Quote> fedex) => Math.Min(ups.IsSuccess ? ups.Value.Price : 99m, fedex.IsSuccess ? fedex.Value.Price : 99m);
            }
            """);

    [Fact]
    public Task Continue_on_error_foreach_consumed_as_a_list_of_Outcomes_is_not_flagged() =>
        VerifyDurableWorkflowIsGeneratedAsync(
            Usings + """
            namespace Shop;

            public sealed record Row(int Number, string Text);

            [Workflow(Durable = true)]
            public partial class Import
            {
                [Step] public IReadOnlyList<Row> Rows(string file) => new[] { new Row(1, "a") };
                [ParallelForEach(nameof(Rows), ContinueOnError = true, MaxDegreeOfParallelism = 4)] public Task<int> ParseAsync(Row row, StepContext context, CancellationToken ct) => Task.FromResult(row.Number);
                [Step] public int Count(IReadOnlyList<Outcome<int>> parse) => parse.Count(p => p.IsSuccess);
            }
            """.Replace("namespace Shop;", "using System.Linq;\nnamespace Shop;", StringComparison.Ordinal));

    [Fact]
    public Task First_success_group_is_not_flagged() =>
        VerifyDurableWorkflowIsGeneratedAsync(
            Usings + """
            namespace Shop;

            public sealed record Rate(string Source, decimal Value);

            [Workflow(Durable = true)]
            public partial class Exchange
            {
                [Step, Parallel("rate", Failure = FailurePolicy.FirstSuccess)] public Task<Rate> PrimaryAsync(string currency, CancellationToken ct) => Task.FromResult(new Rate("primary", 1m));
                [Step, Parallel("rate")] public Rate Mirror(string currency) => new("mirror", 1m);
                [Step] public decimal Convert(Rate rate, decimal amount) => rate.Value * amount;
            }
            """);

    [Fact]
    public Task Static_workflow_class_is_not_flagged() =>
        VerifyDurableWorkflowIsGeneratedAsync(
            Usings + """
            namespace Shop;

            [Workflow(Durable = true)]
            public static partial class Tax
            {
                [Step] public static decimal Rate(string country) => 0.2m;
                [Step] public static decimal Apply(decimal rate, decimal amount) => amount * (1 + rate);
            }
            """);

    [Fact]
    public Task Constructor_with_services_and_steps_with_CancellationToken_and_StepContext_are_not_flagged() =>
        VerifyDurableWorkflowIsGeneratedAsync(
            Usings + """
            namespace Shop;

            public interface IShop { decimal PriceOf(int id); }
            public interface IClock { DateTimeOffset Now { get; } }
            public sealed record Order(int Id, decimal Price);

            [Workflow(Durable = true)]
            public partial class Checkout(IShop shop, IClock clock)
            {
                [Step, Retry(2), Timeout(1000)]
                public async Task<Order> LoadOrderAsync(int orderId, StepContext context, CancellationToken ct)
                {
                    await Task.Delay(1, ct);
                    return new Order(orderId, shop.PriceOf(orderId));
                }

                [Step] public ValueTask<DateTimeOffset> StampAsync(Order loadOrder, CancellationToken ct) => new(clock.Now);
                [Step] public Task NotifyAsync(Order loadOrder, DateTimeOffset stamp, CancellationToken ct) => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Explicit_constructors_choose_the_one_with_the_most_parameters() =>
        VerifyDurableWorkflowIsGeneratedAsync(
            Usings + """
            namespace Shop;

            public interface IShop { decimal PriceOf(int id); }

            [Workflow(Durable = true)]
            public partial class Checkout
            {
                private readonly IShop? _shop;

                public Checkout() { }
                internal Checkout(IShop shop) => _shop = shop;
                private Checkout(IShop shop, int unused) => _shop = shop;

                [Step] public decimal Price(int orderId) => _shop?.PriceOf(orderId) ?? 0m;
            }
            """);

    [Fact]
    public Task Dataflow_and_foreach_over_an_input_are_not_flagged() =>
        VerifyDurableWorkflowIsGeneratedAsync(
            Usings + """
            namespace Shop;

            public sealed record Page(int Number, string Html);

            [Workflow(Durable = true, Scheduling = Scheduling.Dataflow, TimeoutMilliseconds = 60000)]
            public partial class Crawl
            {
                [ParallelForEach("urls", MaxDegreeOfParallelism = 2, BatchSize = 10)] public Page Fetch(string url, StepContext context) => new(context.Index, url);
                [Step] public int Count(IReadOnlyList<Page> fetch) => fetch.Count;
                [Step] public string Title(string site) => site;
            }
            """);

    // ---------------------------------------------------------------- RunAsync stays generated

    [Fact]
    public void With_only_durable_errors_the_parse_result_has_a_model_without_a_durable_part()
    {
        const string source = Usings + """
            namespace Shop;

            [Workflow(Durable = true)]
            public partial class Report
            {
                [Step] public Stream Open(string path) => File.OpenRead(path);
                [Step] public long Length(Stream open) => open.Length;
            }
            """;

        foreach (var durableTask in new[] { false, true })
        {
            var compilation = AnalyzerVerifier.CreateCompilation(new[] { source }, durableTask);
            var type = compilation.GetTypeByMetadataName("Shop.Report")!;
            var result = WorkflowParser.Parse(type, compilation, CancellationToken.None);

            var expected = durableTask ? new[] { NotDurable } : new[] { NotDurable, DurableTaskNotReferenced };
            Assert.Equal(expected.OrderBy(id => id, StringComparer.Ordinal), result.Problems.Select(p => p.Id).OrderBy(id => id, StringComparer.Ordinal));
            Assert.NotNull(result.Model);
            Assert.Null(result.Model!.Durable);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task With_only_durable_errors_RunAsync_is_generated_and_the_Durable_class_is_not(bool durableTask)
    {
        const string source = Usings + """
            namespace Shop;

            [Workflow(Durable = true)]
            public partial class Report
            {
                [Step] public Stream Open(string path) => File.OpenRead(path);
                [Step] public long Length(Stream open) => open.Length;
            }

            public static class Caller
            {
                public static async Task<long> Run() => await new Report().RunAsync("a.txt");
            }
            """;

        var (generated, generatorDiagnostics) = Generate(AnalyzerVerifier.CreateCompilation(new[] { source }, durableTask));

        Assert.DoesNotContain(generatorDiagnostics, d => d.Id is NotGenerated or "CS8784" or "CS8785");
        var text = Assert.Single(GeneratedTexts(generated));
        Assert.Contains("RunAsync(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("class Durable", text, StringComparison.Ordinal);
        var errors = generated.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "The in-process workflow does not compile:\n" + string.Join("\n", errors.Select(d => d.ToString())));

        var (_, diagnostics) = await AnalyzerVerifier.RunAsync(new[] { source }, durableTask);
        Assert.Equal(
            durableTask ? new[] { NotDurable } : new[] { DurableTaskNotReferenced, NotDurable },
            diagnostics.Select(d => d.Id));
    }

    [Fact]
    public void A_clean_durable_workflow_gets_a_Durable_class_beside_RunAsync()
    {
        const string source = Usings + """
            namespace Shop;

            public sealed record Order(int Id);

            [Workflow(Durable = true)]
            public partial class Checkout
            {
                [Step] public Order LoadOrder(int orderId) => new(orderId);
            }
            """;

        var (generated, _) = Generate(AnalyzerVerifier.CreateCompilation(new[] { source }, durableTask: true));

        var text = Assert.Single(GeneratedTexts(generated));
        Assert.Contains("RunAsync(", text, StringComparison.Ordinal);
        Assert.Contains("static class Durable", text, StringComparison.Ordinal);
        Assert.Contains("\"Flows.Shop.Checkout\"", text, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- half-typed input

    [Theory]
    [InlineData("[Workflow(Durable = )]")]
    [InlineData("[Workflow(Durable = tru)]")]
    [InlineData("[Workflow(Durable = 1)]")]
    [InlineData("[Workflow(Durable = \"true\")]")]
    [InlineData("[Workflow(Durable)]")]
    [InlineData("[Workflow(Durable = true, Durable = false)]")]
    [InlineData("[Workflow(Durable = true")]
    [InlineData("[Workflow(Durable: true)]")]
    [InlineData("[Workflow(Durable = new[] { true })]")]
    [InlineData("[Workflow(Durable = null)]")]
    [InlineData("[Workflow(Durable = (bool)(object)true)]")]
    [InlineData("[Workflow(Durable = default)]")]
    public async Task Half_typed_Durable_argument_does_not_throw(string attribute)
    {
        var source = Usings + attribute + """

            public partial class Checkout
            {
                [Step] public int Count(int size) => size;
            }
            """;

        // RunAsync fails the test when an analyzer throws (AD0001); the generator's throw is CS8785.
        var (_, diagnostics) = await AnalyzerVerifier.RunAsync(new[] { source }, durableTask: true);
        Assert.DoesNotContain(diagnostics, d => d.Id == NotDurable);
        var (_, generatorDiagnostics) = Generate(AnalyzerVerifier.CreateCompilation(new[] { source }, durableTask: true));
        Assert.DoesNotContain(generatorDiagnostics, d => d.Id is "CS8784" or "CS8785");
    }

    [Fact]
    public Task Unresolved_step_types_are_not_flagged_as_not_durable() =>
        AnalyzerVerifier.VerifyDurableAsync(
            Usings + """
            [Workflow(Durable = true)]
            public partial class Checkout
            {
                [Step] public Task<Missing> LoadAsync(Unknown {|FLOW008:request|}, CancellationToken ct) => null!;
                [Step] public List<Missing> Lines(Missing load) => new();
                [ParallelForEach(nameof(Lines))] public Unknown Price(Missing line) => default!;
            }
            """,
            new[] { "LoadAsync", "the type of parameter 'request' does not resolve, so RunAsync is not generated until it does" });

    [Fact]
    public Task Unresolved_types_are_not_flagged_as_not_durable_without_the_reference_either() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            [Workflow({|FLOW016:Durable = true|})]
            public partial class Checkout
            {
                public Checkout(IMissingService service) { }

                [Step] public Missing {|FLOW008:Load|}(int id) => default!;
            }
            """,
            new[] { "Checkout" },
            new[] { "Load", "its return type does not resolve, so RunAsync is not generated until it does" });

    [Fact]
    public async Task Unresolved_constructor_parameter_is_not_flagged_and_no_Durable_class_is_generated()
    {
        const string source = Usings + """
            [Workflow(Durable = true)]
            public partial class Checkout
            {
                public Checkout(IMissingService service) { }

                [Step] public int Count(int size) => size;
            }
            """;

        var (generated, diagnostics) = await AnalyzerVerifier.RunAsync(new[] { source }, durableTask: true);

        Assert.Empty(diagnostics);
        var text = Assert.Single(GeneratedTexts(generated));
        Assert.Contains("RunAsync(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("class Durable", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Workflow(Durable = true)] public partial class")]
    [InlineData("[Workflow(Durable = true)] public partial class W<")]
    [InlineData("[Workflow(Durable = true)] public partial class W : { [Step] public int A(int x) => x; }")]
    [InlineData("[Workflow(Durable = true)] public partial class W { public W(")]
    [InlineData("[Workflow(Durable = true)] public partial class W { [Step] public int A(int x) => x; public W(ref ) { } }")]
    [InlineData("[Workflow(Durable = true)] public partial class W { [Step] public Task< A(int x) => x; }")]
    [InlineData("[Workflow(Durable = true)] public partial class W { [ParallelForEach(nameof(B))] public int A(Stream x) => 1; [Step] public IAsyncEnumerable< B() => null; }")]
    [InlineData("[Workflow(Durable = true)] public partial class W { public int Durable; public class Durable { } [Step] public int A(int x) => x; }")]
    public async Task Half_typed_durable_workflow_does_not_throw(string declaration)
    {
        var source = Usings + declaration;

        await AnalyzerVerifier.RunAsync(new[] { source }, durableTask: true);
        await AnalyzerVerifier.RunAsync(new[] { source }, durableTask: false);
        var (_, generatorDiagnostics) = Generate(AnalyzerVerifier.CreateCompilation(new[] { source }, durableTask: true));
        Assert.DoesNotContain(generatorDiagnostics, d => d.Id is "CS8784" or "CS8785");
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>
    /// A clean durable workflow: no FLOW diagnostic, the generator writes the Durable class, and the whole compiles
    /// against Flows.DurableTask and the Durable Task SDK without errors ("generated code is not flagged").
    /// </summary>
    private static async Task VerifyDurableWorkflowIsGeneratedAsync(string source)
    {
        var (generated, diagnostics) = await AnalyzerVerifier.RunAsync(new[] { source }, durableTask: true);
        Assert.True(diagnostics.Length == 0, "Unexpected:\n  " + string.Join("\n  ", diagnostics.Select(d => $"{d.Id} {d.Location.SourceSpan}: {d.GetMessage()}")));
        var text = Assert.Single(GeneratedTexts(generated));
        Assert.Contains("static class Durable", text, StringComparison.Ordinal);
        var errors = generated.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "The generated durable workflow does not compile:\n" + string.Join("\n", errors.Select(d => d.ToString())));
    }

    private static (Compilation Generated, IReadOnlyList<Diagnostic> Diagnostics) Generate(Compilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new WorkflowGenerator());
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var diagnostics);
        return (generated, diagnostics);
    }

    private static IEnumerable<string> GeneratedTexts(Compilation compilation) =>
        compilation.SyntaxTrees
            .Where(tree => tree.FilePath.EndsWith(".Flows.g.cs", StringComparison.Ordinal))
            .Select(tree => tree.ToString());
}
