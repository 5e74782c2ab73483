using Flows.IntegrationTests.Shop;

namespace Flows.IntegrationTests.ForEachSteps;

/// <summary>The <c>Checkout</c> example of DESIGN.md with its foreach step, <c>Reserve</c>.</summary>
[Collection(TimingCollection.Name)]
public sealed class ForEachCheckoutTests
{
    [Fact]
    public async Task Checkout_reserves_every_line_and_completes_a_receipt_with_the_reservations_in_line_order()
    {
        var shop = new ReservingShop(lines: 10);

        var receipt = await new ReservingCheckout(shop).RunAsync(orderId: 42).OrTimeout();

        Assert.Equal(42, receipt.Order.Id);
        Assert.Equal("AUTH-42", receipt.Payment.AuthorizationCode);
        Assert.Equal(receipt.Order.Lines, receipt.Reservations.Select(r => r.Line));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"R-{i}/10"), receipt.Reservations.Select(r => r.Code));
        Assert.True(shop.MaxConcurrentReservations <= 4, $"{shop.MaxConcurrentReservations} reservations ran at once; the degree is 4.");
        Assert.Equal(4, shop.MaxConcurrentReservations);
    }

    [Fact]
    public async Task A_failed_reservation_fails_the_checkout_with_its_own_exception()
    {
        var shop = new ReservingShop(lines: 10) { FailingSku = "sku-6" };

        var exception = await Assert.ThrowsAsync<OutOfStockException>(() => new ReservingCheckout(shop).RunAsync(7).OrTimeout());

        Assert.Equal("sku-6", exception.Sku);
    }

    [Fact]
    public void Checkout_RunAsync_takes_the_order_id_and_gives_a_receipt()
    {
        var run = typeof(ReservingCheckout).GetMethods().Single(m => m.Name == "RunAsync" && m.GetParameters().Length == 2);

        Assert.Equal(typeof(ValueTask<ReservedReceipt>), run.ReturnType);
        Assert.Equal(new[] { "orderId", "cancellationToken" }, run.GetParameters().Select(p => p.Name));
    }

    [Fact]
    public async Task Checkout_with_per_item_retries_reserves_a_line_that_failed_once()
    {
        var shop = new ReservingShop(lines: 5) { FailOnceSku = "sku-2" };

        var receipt = await new RetryingCheckout(shop).RunAsync(orderId: 9).OrTimeout();

        Assert.Equal(5, receipt.Reservations.Count);
        Assert.Equal(2, shop.Attempts("sku-2"));
        Assert.Equal(1, shop.Attempts("sku-3"));
    }
}

public sealed record Reservation(Line Line, string Code);

public sealed record ReservedReceipt(Order Order, Payment Payment, IReadOnlyList<Reservation> Reservations);

public sealed class OutOfStockException(string sku) : Exception($"{sku} is out of stock.")
{
    public string Sku { get; } = sku;
}

public interface IReservingShop : IShop
{
    Task<Reservation> ReserveAsync(Line line, StepContext context, CancellationToken ct);
}

[ThreadSafe]
public sealed class ReservingShop(int lines) : IReservingShop
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _attempts = new();
    private int _concurrent;
    private int _max;

    public string? FailingSku { get; init; }

    public string? FailOnceSku { get; init; }

    public int MaxConcurrentReservations => Volatile.Read(ref _max);

    public int Attempts(string sku) => _attempts.TryGetValue(sku, out var attempts) ? attempts : 0;

    public async Task<Order> GetOrderAsync(int orderId, CancellationToken ct)
    {
        await Task.Delay(5, ct);
        return new Order(orderId, Enumerable.Range(0, lines).Select(i => new Line($"sku-{i}", i + 1, 1.5m)).ToArray());
    }

    public async Task<bool> InStockAsync(Order order, CancellationToken ct)
    {
        await Task.Delay(10, ct);
        return true;
    }

    public async Task<Payment> AuthorizeAsync(Order order, CancellationToken ct)
    {
        await Task.Delay(10, ct);
        return new Payment($"AUTH-{order.Id}", order.Lines.Sum(l => l.Quantity * l.UnitPrice));
    }

    public async Task<Reservation> ReserveAsync(Line line, StepContext context, CancellationToken ct)
    {
        var attempt = _attempts.AddOrUpdate(line.Sku, 1, (_, n) => n + 1);
        var now = Interlocked.Increment(ref _concurrent);
        int seen;
        while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }

        try
        {
            await Task.Delay(15, ct);
            if (line.Sku == FailingSku || (line.Sku == FailOnceSku && attempt == 1))
            {
                throw new OutOfStockException(line.Sku);
            }

            return new Reservation(line, $"R-{context.Index}/{context.Count}");
        }
        finally
        {
            Interlocked.Decrement(ref _concurrent);
        }
    }
}

[Workflow]
public partial class ReservingCheckout
{
    private readonly IReservingShop _shop;

    public ReservingCheckout(IReservingShop shop) => _shop = shop;

    [Step]
    public Task<Order> LoadOrder(int orderId, CancellationToken ct) => _shop.GetOrderAsync(orderId, ct);

    [Step, Parallel("checks")]
    public Task<bool> CheckInventory(Order loadOrder, CancellationToken ct) => _shop.InStockAsync(loadOrder, ct);

    [Step, Parallel("checks")]
    public Task<Payment> ValidatePayment(Order loadOrder, CancellationToken ct) => _shop.AuthorizeAsync(loadOrder, ct);

    [Step]
    public IReadOnlyList<Line> Lines(Order loadOrder) => loadOrder.Lines;

    [ParallelForEach(nameof(Lines), MaxDegreeOfParallelism = 4)]
    public Task<Reservation> Reserve(Line line, StepContext context, CancellationToken ct) => _shop.ReserveAsync(line, context, ct);

    [Step]
    public ReservedReceipt Complete(Order loadOrder, bool checkInventory, Payment validatePayment, IReadOnlyList<Reservation> reserve) =>
        new(loadOrder, validatePayment, reserve);
}

/// <summary>The example exactly as DESIGN.md writes it, with <c>[Retry]</c> on the foreach step (per item).</summary>
[Workflow]
public partial class RetryingCheckout
{
    private readonly IReservingShop _shop;

    public RetryingCheckout(IReservingShop shop) => _shop = shop;

    [Step]
    public Task<Order> LoadOrder(int orderId, CancellationToken ct) => _shop.GetOrderAsync(orderId, ct);

    [Step, Parallel("checks")]
    public Task<bool> CheckInventory(Order loadOrder, CancellationToken ct) => _shop.InStockAsync(loadOrder, ct);

    [Step, Parallel("checks")]
    public Task<Payment> ValidatePayment(Order loadOrder, CancellationToken ct) => _shop.AuthorizeAsync(loadOrder, ct);

    [Step]
    public IReadOnlyList<Line> Lines(Order loadOrder) => loadOrder.Lines;

    [ParallelForEach(nameof(Lines), MaxDegreeOfParallelism = 4), Retry(3, DelayMilliseconds = 50)]
    public Task<Reservation> Reserve(Line line, StepContext context, CancellationToken ct) => _shop.ReserveAsync(line, context, ct);

    [Step]
    public ReservedReceipt Complete(Order loadOrder, bool checkInventory, Payment validatePayment, IReadOnlyList<Reservation> reserve) =>
        new(loadOrder, validatePayment, reserve);
}
