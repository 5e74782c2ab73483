using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;

namespace Flows.Benchmarks;

/// <summary>
/// F6b: the F6 workflow against the other ways one throttles async work by hand. Every competitor calls the workflow's
/// own <see cref="AsyncForEachWorkflow.Process"/> method, so the body (and its box per item) is the same everywhere.
/// </summary>
/// <remarks>
/// Target: at most 0.35x the bytes of <see cref="SemaphoreSlimTaskPerItem"/> (the baseline) and of
/// <see cref="DataflowActionBlock"/>; at most 0.9x the bytes of the channel with eight readers. The ratios to the
/// competitors other than the baseline are computed from the same run's table.
/// Each competitor is written in its strongest ordinary form: the semaphore is acquired before an item's task is
/// started (not inside 10,000 tasks started at once); the block knows it has a single producer; the channels have a
/// single writer and start their readers before the first write.
/// </remarks>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class F6bAsyncForEachCompetitors
{
    private const int BoundedCapacity = 2 * Work.Degree;

    private readonly int[] _items = Work.Items(Work.ItemCount);
    private readonly int[] _output = new int[Work.ItemCount];
    private readonly AsyncForEachWorkflow _workflow;
    private readonly Func<int, Task> _process;
    private readonly ExecutionDataflowBlockOptions _blockOptions = new()
    {
        MaxDegreeOfParallelism = Work.Degree,
        SingleProducerConstrained = true,
    };

    public F6bAsyncForEachCompetitors()
    {
        _workflow = new AsyncForEachWorkflow(_output);
        _process = _workflow.Process;
    }

    [GlobalSetup]
    public void CheckEveryoneDoesTheWork()
    {
        SemaphoreSlimTaskPerItem().GetAwaiter().GetResult();
        Work.Verify(_output, nameof(SemaphoreSlimTaskPerItem));
        DataflowActionBlock().GetAwaiter().GetResult();
        Work.Verify(_output, nameof(DataflowActionBlock));
        ChannelBoundedEightReaders().GetAwaiter().GetResult();
        Work.Verify(_output, nameof(ChannelBoundedEightReaders));
        ChannelUnboundedEightReaders().GetAwaiter().GetResult();
        Work.Verify(_output, nameof(ChannelUnboundedEightReaders));
        Flows().AsTask().GetAwaiter().GetResult();
        Work.Verify(_output, nameof(Flows));
    }

    [Benchmark(Baseline = true)]
    public async Task SemaphoreSlimTaskPerItem()
    {
        using var gate = new SemaphoreSlim(Work.Degree, Work.Degree);
        var tasks = new Task[_items.Length];
        for (var i = 0; i < _items.Length; i++)
        {
            await gate.WaitAsync().ConfigureAwait(false);
            tasks[i] = RunThenReleaseAsync(_items[i], gate);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    [Benchmark]
    public Task DataflowActionBlock()
    {
        var block = new ActionBlock<int>(_process, _blockOptions);
        foreach (var item in _items)
        {
            block.Post(item);
        }

        block.Complete();
        return block.Completion;
    }

    [Benchmark]
    public async Task ChannelBoundedEightReaders()
    {
        var channel = Channel.CreateBounded<int>(new BoundedChannelOptions(BoundedCapacity) { SingleWriter = true });
        var readers = StartReaders(channel.Reader);
        foreach (var item in _items)
        {
            await channel.Writer.WriteAsync(item).ConfigureAwait(false);
        }

        channel.Writer.Complete();
        await Task.WhenAll(readers).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task ChannelUnboundedEightReaders()
    {
        var channel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleWriter = true });
        var readers = StartReaders(channel.Reader);
        foreach (var item in _items)
        {
            channel.Writer.TryWrite(item);
        }

        channel.Writer.Complete();
        await Task.WhenAll(readers).ConfigureAwait(false);
    }

    [Benchmark]
    public ValueTask Flows() => _workflow.RunAsync(_items);

    private async Task RunThenReleaseAsync(int item, SemaphoreSlim gate)
    {
        try
        {
            await _workflow.Process(item).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private Task[] StartReaders(ChannelReader<int> reader)
    {
        var readers = new Task[Work.Degree];
        for (var i = 0; i < readers.Length; i++)
        {
            readers[i] = ReadAllAsync(reader);
        }

        return readers;
    }

    private async Task ReadAllAsync(ChannelReader<int> reader)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                await _workflow.Process(item).ConfigureAwait(false);
            }
        }
    }
}
