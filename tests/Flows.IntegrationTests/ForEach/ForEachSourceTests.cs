namespace Flows.IntegrationTests.ForEachSteps;

/// <summary>Generated foreach steps over every kind of step output: arrays, lists, lazy sequences, streams.</summary>
public sealed class ForEachSourceTests
{
    [Fact]
    public async Task An_array_output_is_processed_per_item_and_the_results_reach_a_later_step_in_order()
    {
        var probe = new ItemProbe();

        var (sum, squares) = await new ArraySource(probe).RunAsync(10).OrTimeout();

        Assert.Equal(Enumerable.Range(1, 10).Sum(n => n * n), sum);
        Assert.Equal(Enumerable.Range(1, 10).Select(n => n * n), squares);
        Assert.Equal(Enumerable.Range(0, 10), probe.Contexts.Select(c => c.Index).Order());
        Assert.All(probe.Contexts, c => Assert.Equal(10, c.Count));
        Assert.All(probe.Contexts, c => Assert.Equal((nameof(ArraySource), nameof(ArraySource.Square), 1), (c.Workflow, c.Step, c.Attempt)));
        Assert.True(probe.Max <= 3, $"{probe.Max} items ran at once with MaxDegreeOfParallelism = 3.");
    }

    [Fact]
    public async Task A_read_only_list_output_with_a_synchronous_body()
    {
        var probe = new ItemProbe();

        var joined = await new ListSource(probe).RunAsync().OrTimeout();

        Assert.Equal("ALPHA-0/4 BRAVO-1/4 CHARLIE-2/4 DELTA-3/4", joined);
        Assert.All(probe.Events, e => Assert.Equal("pool", e));
    }

    [Fact]
    public async Task A_lazy_sequence_from_yield_has_no_count()
    {
        var probe = new ItemProbe();

        var total = await new LazySource(probe).RunAsync(limit: 20).OrTimeout();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 2).Sum() * 10, total);
        Assert.Equal(Enumerable.Range(0, 10), probe.Contexts.Select(c => c.Index).Order());
        Assert.All(probe.Contexts, c => Assert.Equal(-1, c.Count));
        Assert.Equal(1, probe.Events.Count(e => e == "enumerated"));
    }

    [Fact]
    public async Task A_stream_output_starts_items_as_they_arrive()
    {
        var probe = new ItemProbe();

        var results = await new StreamSource(probe).RunAsync(5).OrTimeout();

        Assert.Equal(new[] { "t0", "t1", "t2", "t3", "t4" }, results);
        Assert.All(probe.Contexts, c => Assert.Equal(-1, c.Count));

        // Item 0 started before the stream produced item 1.
        var events = probe.Events.ToList();
        Assert.True(events.IndexOf("item 0") < events.IndexOf("produced 1"), string.Join(", ", events));
    }

    [Fact]
    public async Task An_empty_source_gives_an_empty_list_to_the_consumer()
    {
        var probe = new ItemProbe();

        var (sum, squares) = await new ArraySource(probe).RunAsync(0).OrTimeout();

        Assert.Equal(0, sum);
        Assert.Empty(squares);
        Assert.Empty(probe.Contexts);
    }
}

[Workflow]
public partial class ArraySource(ItemProbe probe)
{
    private readonly ItemProbe _probe = probe;

    [Step]
    public int[] Numbers(int count) => Enumerable.Range(1, count).ToArray();

    [ParallelForEach(nameof(Numbers), MaxDegreeOfParallelism = 3)]
    public async Task<int> Square(int number, StepContext context, CancellationToken ct)
    {
        _probe.Enter(context);
        try
        {
            // Later items finish first.
            await Task.Delay((12 - number) * 2, ct);
            return number * number;
        }
        finally
        {
            _probe.Exit();
        }
    }

    [Step]
    public (int Sum, IReadOnlyList<int> Squares) Total(IReadOnlyList<int> square) => (square.Sum(), square);
}

[Workflow]
public partial class ListSource(ItemProbe probe)
{
    private readonly ItemProbe _probe = probe;

    [Step]
    public IReadOnlyList<string> Words() => new[] { "alpha", "bravo", "charlie", "delta" };

    [ParallelForEach(nameof(Words), MaxDegreeOfParallelism = 2)]
    public string Shout(string word, StepContext context)
    {
        _probe.Add(Thread.CurrentThread.IsThreadPoolThread ? "pool" : "not pool");
        return $"{word.ToUpperInvariant()}-{context.Index}/{context.Count}";
    }

    [Step]
    public string Join(IReadOnlyList<string> shout) => string.Join(" ", shout);
}

[Workflow]
public partial class LazySource(ItemProbe probe)
{
    private readonly ItemProbe _probe = probe;

    [Step]
    public IEnumerable<int> Evens(int limit)
    {
        _probe.Add("enumerated");
        for (var i = 0; i < limit; i += 2)
        {
            yield return i;
        }
    }

    [ParallelForEach(nameof(Evens), MaxDegreeOfParallelism = 4)]
    public async ValueTask<int> Scale(int even, StepContext context)
    {
        _probe.Enter(context);
        await Task.Yield();
        _probe.Exit();
        return even * 10;
    }

    [Step]
    public int Sum(IReadOnlyList<int> scale) => scale.Sum();
}

[Workflow]
public partial class StreamSource(ItemProbe probe)
{
    private readonly ItemProbe _probe = probe;

    [Step]
    public async IAsyncEnumerable<int> Ticks(int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                // The stream goes on only once the previous item has started.
                var waited = Stopwatch.StartNew();
                while (!_probe.Events.Contains($"item {i - 1}") && waited.Elapsed < TimeSpan.FromSeconds(10))
                {
                    await Task.Delay(1);
                }
            }

            _probe.Add($"produced {i}");
            yield return i;
        }
    }

    [ParallelForEach(nameof(Ticks), MaxDegreeOfParallelism = 2)]
    public Task<string> Handle(int tick, StepContext context)
    {
        _probe.Enter(context);
        _probe.Add($"item {tick}");
        _probe.Exit();
        return Task.FromResult($"t{tick}");
    }

    [Step]
    public IReadOnlyList<string> Collect(IReadOnlyList<string> handle) => handle;
}
