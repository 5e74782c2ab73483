namespace Flows.Samples.Validation;

/// <summary>
/// Checks an order's contact, address, payment and stock at the same time, and reports every problem at
/// once: a <see cref="FailurePolicy.WaitAll"/> group lets each check run to its end and then throws one
/// <see cref="AggregateException"/> with all of the failures, in the order the checks are declared.
/// </summary>
/// <remarks>Generated: <c>RunAsync(Order order, CancellationToken)</c>, returning the confirmation.</remarks>
[Workflow(Durable = true)]
public sealed partial class OrderValidationWorkflow
{
    private readonly SimulatedCheckServices _services;

    public OrderValidationWorkflow(SimulatedCheckServices services) => _services = services;

    // A synchronous member: it runs on the thread pool alongside the others.
    [Step, Parallel("checks", Failure = FailurePolicy.WaitAll)]
    public static void CheckEmail(Order order)
    {
        var at = order.CustomerEmail.IndexOf('@');
        if (at <= 0 || order.CustomerEmail.IndexOf('.', at) < 0)
        {
            throw new ValidationException(nameof(CheckEmail), "email", $"'{order.CustomerEmail}' is not an e-mail address");
        }
    }

    [Step, Parallel("checks")]
    public async Task CheckAddressAsync(Order order, CancellationToken cancellationToken)
    {
        if (!await _services.IsDeliverableAsync(order.ShipTo, cancellationToken).ConfigureAwait(false))
        {
            throw new ValidationException(nameof(CheckAddressAsync), "shipTo", $"we do not deliver to {order.ShipTo.City}, {order.ShipTo.Country}");
        }
    }

    [Step, Parallel("checks")]
    public async Task CheckPaymentAsync(Order order, CancellationToken cancellationToken)
    {
        if (!await _services.IsCardAcceptedAsync(order.CardNumber, cancellationToken).ConfigureAwait(false))
        {
            throw new ValidationException(nameof(CheckPaymentAsync), "cardNumber", "the card number fails its check digit");
        }
    }

    [Step, Parallel("checks")]
    public async Task CheckStockAsync(Order order, CancellationToken cancellationToken)
    {
        foreach (var line in order.Lines)
        {
            var available = await _services.InStockAsync(line.Sku, cancellationToken).ConfigureAwait(false);
            if (available < line.Quantity)
            {
                throw new ValidationException(nameof(CheckStockAsync), $"lines[{line.Sku}]", $"{line.Quantity} ordered, {available} in stock");
            }
        }
    }

    // Runs only when every check passed.
    [Step]
    public static string Confirm(Order order) =>
        $"Order {order.Id} accepted: {order.Lines.Sum(line => line.Quantity)} items to {order.ShipTo.City}.";
}
