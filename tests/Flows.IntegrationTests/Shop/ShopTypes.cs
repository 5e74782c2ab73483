namespace Flows.IntegrationTests.Shop;

public sealed record Line(string Sku, int Quantity, decimal UnitPrice);

public sealed record Order(int Id, IReadOnlyList<Line> Lines);

public sealed record Payment(string AuthorizationCode, decimal Amount);

public sealed record Receipt(Order Order, Payment Payment, bool InStock, int LineCount);

public sealed class PaymentDeclinedException(int orderId) : Exception($"Payment for order {orderId} was declined.")
{
    public int OrderId { get; } = orderId;
}

public interface IShop
{
    Task<Order> GetOrderAsync(int orderId, CancellationToken ct);

    Task<bool> InStockAsync(Order order, CancellationToken ct);

    Task<Payment> AuthorizeAsync(Order order, CancellationToken ct);
}

/// <summary>A shop whose calls take a while, record themselves, and count how many checks run at once.</summary>
[ThreadSafe]
public sealed class FakeShop : IShop
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _calls = new();
    private int _concurrentChecks;
    private int _maxConcurrentChecks;
    private volatile bool _inventoryCheckCancelled;

    public TimeSpan CheckDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    public bool DeclinePayment { get; init; }

    public IReadOnlyList<string> Calls => _calls.ToArray();

    public int MaxConcurrentChecks
    {
        get => Volatile.Read(ref _maxConcurrentChecks);
        set => Volatile.Write(ref _maxConcurrentChecks, value);
    }

    public bool InventoryCheckCancelled => _inventoryCheckCancelled;

    public TaskCompletionSource InventoryCheckStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<Order> GetOrderAsync(int orderId, CancellationToken ct)
    {
        _calls.Enqueue($"GetOrder {orderId}");
        await Task.Delay(10, ct);
        return new Order(orderId, new[] { new Line("apple", 3, 2.50m), new Line("melon", 1, 10m) });
    }

    public async Task<bool> InStockAsync(Order order, CancellationToken ct)
    {
        _calls.Enqueue($"InStock {order.Id}");
        EnterCheck();
        InventoryCheckStarted.TrySetResult();
        try
        {
            await Task.Delay(CheckDelay, ct);
            return order.Lines.All(line => line.Quantity > 0);
        }
        catch (OperationCanceledException)
        {
            _inventoryCheckCancelled = true;
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _concurrentChecks);
        }
    }

    public async Task<Payment> AuthorizeAsync(Order order, CancellationToken ct)
    {
        _calls.Enqueue($"Authorize {order.Id}");
        EnterCheck();
        try
        {
            if (DeclinePayment)
            {
                await Task.Delay(20, ct);
                throw new PaymentDeclinedException(order.Id);
            }

            await Task.Delay(CheckDelay, ct);
            return new Payment($"AUTH-{order.Id}", order.Lines.Sum(line => line.Quantity * line.UnitPrice));
        }
        finally
        {
            Interlocked.Decrement(ref _concurrentChecks);
        }
    }

    private void EnterCheck()
    {
        var now = Interlocked.Increment(ref _concurrentChecks);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxConcurrentChecks)) && Interlocked.CompareExchange(ref _maxConcurrentChecks, now, seen) != seen)
        {
        }
    }
}
