using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Shop;

public sealed record Line(string Sku, int Quantity);

public sealed record Order(int Id, IReadOnlyList<Line> Lines);

public sealed record Payment(string Authorization);

public sealed record Receipt(Order Order, Payment Payment, int LineCount);

public interface IShop
{
    Task<Order> GetOrderAsync(int orderId, CancellationToken cancellationToken);

    Task<bool> InStockAsync(Order order, CancellationToken cancellationToken);

    Task<Payment> AuthorizeAsync(Order order, CancellationToken cancellationToken);
}

// The DESIGN.md example without its foreach step.
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

    [Step]
    public Receipt Complete(Order loadOrder, bool checkInventory, Payment validatePayment, IReadOnlyList<Line> lines) =>
        new(loadOrder, validatePayment, checkInventory ? lines.Count : 0);
}

public static class CheckoutUsage
{
    public static async Task<Receipt> RunAsync(IShop shop) => await new Checkout(shop).RunAsync(orderId: 42);

    public static async Task<Receipt> RunPausableAsync(IShop shop, CancellationToken cancellationToken) =>
        await new Checkout(shop).RunAsync(42, new FlowControl(), cancellationToken);
}
