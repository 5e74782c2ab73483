using Flows.IntegrationTests.Shop;

namespace Flows.IntegrationTests;

/// <summary>The <c>Checkout</c> example of DESIGN.md, without its foreach step (<c>Reserve</c>).</summary>
[Collection(TimingCollection.Name)]
public sealed class CheckoutExampleTests
{
    [Fact]
    public async Task Checkout_loads_the_order_checks_it_in_parallel_and_completes_a_receipt()
    {
        var shop = new FakeShop();

        var receipt = await new Checkout(shop).RunAsync(orderId: 42).OrTimeout();

        Assert.Equal(42, receipt.Order.Id);
        Assert.Equal(2, receipt.Order.Lines.Count);
        Assert.Equal("AUTH-42", receipt.Payment.AuthorizationCode);
        Assert.Equal(3 * 2.50m + 1 * 10m, receipt.Payment.Amount);
        Assert.True(receipt.InStock);
        Assert.Equal(2, receipt.LineCount);
        Assert.Equal(new[] { "GetOrder 42", "InStock 42", "Authorize 42" }, shop.Calls.Take(1).Concat(shop.Calls.Skip(1).OrderByDescending(c => c, StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Checkout_runs_inventory_and_payment_checks_at_the_same_time()
    {
        var shop = new FakeShop { CheckDelay = TimeSpan.FromMilliseconds(150) };
        await new Checkout(shop).RunAsync(1).OrTimeout();

        Assert.Equal(2, shop.MaxConcurrentChecks);

        // One after the other, the checks alone would take 300 ms.
        var bound = TimeSpan.FromMilliseconds(280);
        var elapsed = await Limits.FastestRun(() => new Checkout(shop).RunAsync(1).AsTask(), bound);
        Assert.True(elapsed < bound, $"Two 150 ms checks took {elapsed.TotalMilliseconds:0} ms at best.");
    }

    [Fact]
    public async Task A_declined_payment_fails_the_checkout_with_its_own_exception_and_cancels_the_inventory_check()
    {
        var shop = new FakeShop { DeclinePayment = true, CheckDelay = TimeSpan.FromSeconds(30) };

        var exception = await Assert.ThrowsAsync<PaymentDeclinedException>(() => new Checkout(shop).RunAsync(7).OrTimeout());

        Assert.Equal(7, exception.OrderId);
        Assert.True(shop.InventoryCheckCancelled);
    }

    [Fact]
    public async Task Cancelling_a_checkout_cancels_the_shop_calls()
    {
        var shop = new FakeShop { CheckDelay = TimeSpan.FromSeconds(30) };
        using var cts = new CancellationTokenSource();

        var run = new Checkout(shop).RunAsync(3, cts.Token).AsTask();
        await shop.InventoryCheckStarted.Task.OrTimeout();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.True(shop.InventoryCheckCancelled);
    }

    [Fact]
    public void Checkout_RunAsync_takes_the_order_id_and_gives_a_receipt()
    {
        var run = typeof(Checkout).GetMethods().Single(method => method.Name == "RunAsync" && method.GetParameters().Length == 2);

        Assert.Equal(typeof(ValueTask<Receipt>), run.ReturnType);
        Assert.Equal(new[] { "orderId", "cancellationToken" }, run.GetParameters().Select(p => p.Name));
        Assert.Equal(typeof(int), run.GetParameters()[0].ParameterType);
    }
}

[Workflow]
public partial class Checkout
{
    private readonly IShop _shop;

    public Checkout(IShop shop) => _shop = shop;

    [Step]
    public Task<Order> LoadOrder(int orderId, CancellationToken ct) => _shop.GetOrderAsync(orderId, ct);

    [Step, Parallel("checks")]
    public Task<bool> CheckInventory(Order loadOrder, CancellationToken ct) => _shop.InStockAsync(loadOrder, ct);

    [Step, Parallel("checks")]
    public Task<Payment> ValidatePayment(Order loadOrder, CancellationToken ct) => _shop.AuthorizeAsync(loadOrder, ct);

    [Step]
    public IReadOnlyList<Line> Lines(Order loadOrder) => loadOrder.Lines;

    [Step]
    public Receipt Complete(Order loadOrder, bool checkInventory, Payment validatePayment, IReadOnlyList<Line> lines) =>
        new(loadOrder, validatePayment, checkInventory, lines.Count);
}
