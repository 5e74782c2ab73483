using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Flows.AotSample;

public sealed record Warehouse(string Code, int Shelves);

public sealed record StockCount(string Warehouse, int Units, int Attempts);

public sealed record Price(string Source, decimal Amount);

public sealed record SyncReport(
    int Warehouses,
    int Units,
    int Retried,
    int Skipped,
    Price Price,
    bool Audited,
    int Streamed);

/// <summary>
/// Exercises the generated paths a trimmed, natively compiled app must keep working: a fail-fast group, a
/// foreach with retries and a per-item timeout, a continue-on-error foreach and group (Outcome&lt;T&gt;), a
/// first-success group, a foreach over an IAsyncEnumerable, hooks and StepContext.
/// </summary>
[Workflow]
public sealed partial class InventorySync
{
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private int _stepsCompleted;

    /// <summary>How many steps and items completed, counted by the OnStepCompleted hook.</summary>
    public int StepsCompleted => Volatile.Read(ref _stepsCompleted);

    [Step, Parallel("load")]
    public async Task<Warehouse[]> LoadWarehousesAsync(string region, CancellationToken cancellationToken)
    {
        await Task.Delay(20, cancellationToken);
        return [.. Enumerable.Range(1, 8).Select(i => new Warehouse($"{region}-{i:00}", Shelves: 10 * i))];
    }

    [Step, Parallel("load")]
    public async ValueTask<int> LoadThresholdAsync(string region, CancellationToken cancellationToken)
    {
        await Task.Delay(10, cancellationToken);
        return region.Length * 5;
    }

    // Every third warehouse fails its first attempt, as a flaky network would; [Retry] tries again.
    [ParallelForEach(nameof(LoadWarehousesAsync), MaxDegreeOfParallelism = 3), Retry(3, DelayMilliseconds = 5, Backoff = Backoff.Exponential)]
    [Timeout(2_000)]
    public async Task<StockCount> CountAsync(Warehouse warehouse, StepContext context, CancellationToken cancellationToken)
    {
        _attempts.AddOrUpdate(warehouse.Code, 1, (_, attempts) => attempts + 1);
        await Task.Delay(5, cancellationToken);
        if (context.Index % 3 == 0 && context.Attempt == 1)
        {
            throw new IOException($"connection reset while counting {warehouse.Code}");
        }

        return new StockCount(warehouse.Code, warehouse.Shelves * 12, context.Attempt);
    }

    // A synchronous, continue-on-error foreach: the warehouses below the threshold fail and are skipped.
    [ParallelForEach(nameof(CountAsync), ContinueOnError = true, MinSuccessRate = 0.5)]
    public int Check(StockCount count, int loadThreshold) =>
        count.Units >= loadThreshold * 10 ? count.Units : throw new InvalidOperationException($"{count.Warehouse} is below the threshold");

    [Step, Parallel("price", Failure = FailurePolicy.FirstSuccess)]
    public static async Task<Price> FromCacheAsync(string region, CancellationToken cancellationToken)
    {
        await Task.Delay(5, cancellationToken);
        throw new KeyNotFoundException($"no cached price for {region}");
    }

    [Step, Parallel("price")]
    public static async Task<Price> FromServiceAsync(string region, CancellationToken cancellationToken)
    {
        await Task.Delay(15, cancellationToken);
        return new Price("service", 4.20m);
    }

    [Step, Parallel("after", Failure = FailurePolicy.ContinueOnError, MinSuccessCount = 1)]
    public static async Task<bool> AuditAsync(IReadOnlyList<Outcome<int>> check, CancellationToken cancellationToken)
    {
        await Task.Yield();
        return check.Count(outcome => outcome.IsSuccess) > 0;
    }

    [Step, Parallel("after")]
    public static Task<bool> NotifyAsync(Price price, CancellationToken cancellationToken) =>
        Task.FromException<bool>(new TimeoutException("notification service did not answer"));

    [Step]
    public static async IAsyncEnumerable<int> StreamAsync(Warehouse[] loadWarehouses, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var warehouse in loadWarehouses)
        {
            await Task.Yield();
            yield return warehouse.Shelves;
        }
    }

    [ParallelForEach(nameof(StreamAsync), MaxDegreeOfParallelism = 2)]
    public int Double(int shelves) => shelves * 2;

    [Step]
    public SyncReport Report(
        Warehouse[] loadWarehouses,
        IReadOnlyList<StockCount> count,
        IReadOnlyList<Outcome<int>> check,
        Price price,
        Outcome<bool> audit,
        Outcome<bool> notify,
        IReadOnlyList<int> @double) =>
        new(
            loadWarehouses.Length,
            check.Sum(outcome => outcome.TryGetValue(out var units) ? units : 0),
            count.Count(c => c.Attempts > 1),
            check.Count(outcome => !outcome.IsSuccess),
            price,
            audit.IsSuccess && audit.Value && !notify.IsSuccess,
            @double.Sum());

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => Interlocked.Increment(ref _stepsCompleted);
}

/// <summary>A diamond under Dataflow scheduling, with an [After] edge.</summary>
[Workflow(Scheduling = Scheduling.Dataflow, TimeoutMilliseconds = 5_000)]
public sealed partial class QuoteGraph
{
    [Step]
    public static async Task<int> BaseAsync(int quantity, CancellationToken cancellationToken)
    {
        await Task.Delay(10, cancellationToken);
        return quantity * 100;
    }

    [Step]
    public static async Task<int> DiscountAsync(int quantity, CancellationToken cancellationToken)
    {
        await Task.Delay(20, cancellationToken);
        return quantity >= 10 ? 15 : 0;
    }

    [Step, After(nameof(DiscountAsync))]
    public static int Tax(int @base) => @base / 5;

    [Step]
    public static int Total(int @base, int discount, int tax) => @base - discount + tax;
}
