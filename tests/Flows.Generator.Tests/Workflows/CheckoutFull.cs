using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.FullShop;

public sealed record Line(string Sku, int Quantity);

public sealed record Order(int Id, IReadOnlyList<Line> Lines);

public sealed record Payment(string Authorization);

public sealed record Reservation(string Sku);

public sealed record Receipt(Order Order, Payment Payment, IReadOnlyList<Reservation> Reservations);

public interface IShop
{
    Task<Order> GetOrderAsync(int orderId, CancellationToken cancellationToken);

    Task<bool> InStockAsync(Order order, CancellationToken cancellationToken);

    Task<Payment> AuthorizeAsync(Order order, CancellationToken cancellationToken);

    Task<Reservation> ReserveAsync(Line line, CancellationToken cancellationToken);
}

// The DESIGN.md example as written, foreach step included.
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

public static class CheckoutFullUsage
{
    public static async Task<Receipt> RunAsync(IShop shop) => await new Checkout(shop).RunAsync(orderId: 42);
}
