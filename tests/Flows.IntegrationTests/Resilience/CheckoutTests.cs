namespace Flows.IntegrationTests.ResilienceSteps;

/// <summary>The Checkout example of DESIGN.md, in full, against a fake shop.</summary>
public sealed class CheckoutTests
{
    public CheckoutTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task The_design_example_runs_end_to_end_and_a_reservation_that_fails_once_is_retried()
    {
        var shop = new FlakyShop { FailOnceSku = "melon" };

        var receipt = await new Checkout(shop).RunAsync(orderId: 42).OrTimeout();

        Assert.Equal(42, receipt.Order.Id);
        Assert.Equal("AUTH-42", receipt.Payment.AuthorizationCode);
        Assert.Equal(3 * 2.50m + 10m + 2 * 4m + 5 * 1m, receipt.Payment.Amount);
        Assert.Equal(new[] { "apple", "melon", "pear", "plum" }, receipt.Reservations.Select(reservation => reservation.Sku));
        Assert.Equal(new[] { 1, 2, 1, 1 }, receipt.Reservations.Select(reservation => reservation.Attempt));
        Assert.Equal(5, shop.ReserveCalls);
        Assert.InRange(shop.MaxConcurrentReservations, 1, 4);
    }

    [Fact]
    public async Task The_retry_waits_its_delay_before_the_second_attempt()
    {
        var shop = new FlakyShop { FailOnceSku = "pear" };

        await new Checkout(shop).RunAsync(7).OrTimeout();

        var gap = shop.SecondAttemptAt("pear") - shop.FirstAttemptAt("pear");
        Assert.True(gap >= TimeSpan.FromMilliseconds(35), $"The second attempt came {gap} after the first; the delay is 50 ms.");
    }

    [Fact]
    public async Task A_line_that_fails_every_attempt_fails_the_checkout_with_the_shops_exception_after_three_attempts()
    {
        var shop = new FlakyShop { AlwaysFailSku = "plum" };

        var exception = await Assert.ThrowsAsync<OutOfStockException>(() => new Checkout(shop).RunAsync(9).OrTimeout());

        Assert.Equal("plum", exception.Sku);
        Assert.Equal(3, shop.AttemptsFor("plum"));
    }

    [Fact]
    public async Task A_declined_payment_fails_the_checkout_with_its_own_exception_and_nothing_is_reserved()
    {
        var shop = new FlakyShop { DeclinePayment = true };

        var exception = await Assert.ThrowsAsync<PaymentDeclined>(() => new Checkout(shop).RunAsync(5).OrTimeout());

        Assert.Equal(5, exception.OrderId);
        Assert.Equal(0, shop.ReserveCalls);
    }

    [Fact]
    public async Task Cancelling_the_checkout_while_reserving_ends_it_with_OperationCanceledException()
    {
        var shop = new FlakyShop { ReserveDelay = TimeSpan.FromSeconds(30) };
        using var cts = new CancellationTokenSource();

        var run = new Checkout(shop).RunAsync(3, cts.Token).AsTask();
        await shop.ReservationStarted.Task.OrTimeout();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        var calls = shop.ReserveCalls;
        await Task.Delay(Limits.Quiet);
        Assert.Equal(calls, shop.ReserveCalls);
    }
}

public sealed record Line(string Sku, int Quantity, decimal UnitPrice);

public sealed record Order(int Id, IReadOnlyList<Line> Lines);

public sealed record Payment(string AuthorizationCode, decimal Amount);

public sealed record Reservation(string Sku, int Attempt);

public sealed record Receipt(Order Order, Payment Payment, IReadOnlyList<Reservation> Reservations);

public sealed class OutOfStockException(string sku) : Exception($"{sku} is out of stock.")
{
    public string Sku { get; } = sku;
}

public sealed class PaymentDeclined(int orderId) : Exception($"Payment for order {orderId} was declined.")
{
    public int OrderId { get; } = orderId;
}

public interface IShop
{
    Task<Order> GetOrderAsync(int orderId, CancellationToken ct);

    Task<bool> InStockAsync(Order order, CancellationToken ct);

    Task<Payment> AuthorizeAsync(Order order, CancellationToken ct);

    Task<Reservation> ReserveAsync(Line line, CancellationToken ct);
}

[Workflow]
public partial class Checkout
{
    readonly IShop _shop;
    public Checkout(IShop shop) => _shop = shop;

    [Step]
    public Task<Order> LoadOrder(int orderId, CancellationToken ct) => _shop.GetOrderAsync(orderId, ct);

    [Step, Parallel("checks")]
    public Task<bool> CheckInventory(Order loadOrder, CancellationToken ct) => _shop.InStockAsync(loadOrder, ct);

    [Step, Parallel("checks")]
    public Task<Payment> ValidatePayment(Order loadOrder, CancellationToken ct) => _shop.AuthorizeAsync(loadOrder, ct);

    [Step]
    public IReadOnlyList<Line> Lines(Order loadOrder) => loadOrder.Lines;

    [ParallelForEach(nameof(Lines), MaxDegreeOfParallelism = 4), Retry(3, DelayMilliseconds = 50)]
    public Task<Reservation> Reserve(Line line, StepContext context, CancellationToken ct) => _shop.ReserveAsync(line, ct);

    [Step]
    public Receipt Complete(Order loadOrder, bool checkInventory, Payment validatePayment,
                            IReadOnlyList<Reservation> reserve) => new(loadOrder, validatePayment, reserve);
}

/// <summary>
/// A shop whose reservations can fail: once for <see cref="FailOnceSku"/>, always for <see cref="AlwaysFailSku"/>.
/// A reservation carries the number of the call that made it for its line, so the receipt shows which attempt won.
/// </summary>
[ThreadSafe]
public sealed class FlakyShop : IShop
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<TimeSpan>> _reserveCalls = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _concurrentReservations;
    private int _maxConcurrentReservations;

    public string? FailOnceSku { get; init; }

    public string? AlwaysFailSku { get; init; }

    public bool DeclinePayment { get; init; }

    public TimeSpan ReserveDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    public TaskCompletionSource ReservationStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int ReserveCalls
    {
        get
        {
            lock (_gate)
            {
                return _reserveCalls.Values.Sum(calls => calls.Count);
            }
        }
    }

    public int MaxConcurrentReservations => Volatile.Read(ref _maxConcurrentReservations);

    public int AttemptsFor(string sku)
    {
        lock (_gate)
        {
            return _reserveCalls.TryGetValue(sku, out var calls) ? calls.Count : 0;
        }
    }

    public TimeSpan FirstAttemptAt(string sku) => CallAt(sku, 0);

    public TimeSpan SecondAttemptAt(string sku) => CallAt(sku, 1);

    public async Task<Order> GetOrderAsync(int orderId, CancellationToken ct)
    {
        await Task.Delay(10, ct);
        return new Order(orderId, new[]
        {
            new Line("apple", 3, 2.50m),
            new Line("melon", 1, 10m),
            new Line("pear", 2, 4m),
            new Line("plum", 5, 1m),
        });
    }

    public async Task<bool> InStockAsync(Order order, CancellationToken ct)
    {
        await Task.Delay(20, ct);
        return true;
    }

    public async Task<Payment> AuthorizeAsync(Order order, CancellationToken ct)
    {
        await Task.Delay(20, ct);
        if (DeclinePayment)
        {
            throw new PaymentDeclined(order.Id);
        }

        return new Payment($"AUTH-{order.Id}", order.Lines.Sum(line => line.Quantity * line.UnitPrice));
    }

    public async Task<Reservation> ReserveAsync(Line line, CancellationToken ct)
    {
        int attempt;
        lock (_gate)
        {
            if (!_reserveCalls.TryGetValue(line.Sku, out var calls))
            {
                _reserveCalls[line.Sku] = calls = new List<TimeSpan>();
            }

            calls.Add(_clock.Elapsed);
            attempt = calls.Count;
        }

        ReservationStarted.TrySetResult();
        var now = Interlocked.Increment(ref _concurrentReservations);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxConcurrentReservations)) && Interlocked.CompareExchange(ref _maxConcurrentReservations, now, seen) != seen)
        {
        }

        try
        {
            await Task.Delay(ReserveDelay, ct);
        }
        finally
        {
            Interlocked.Decrement(ref _concurrentReservations);
        }

        if (line.Sku == AlwaysFailSku || (line.Sku == FailOnceSku && attempt == 1))
        {
            throw new OutOfStockException(line.Sku);
        }

        return new Reservation(line.Sku, attempt);
    }

    private TimeSpan CallAt(string sku, int index)
    {
        lock (_gate)
        {
            return _reserveCalls[sku][index];
        }
    }
}
