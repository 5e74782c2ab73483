namespace Flows.Samples.Validation;

public sealed record Address(string Street, string City, string PostalCode, string Country);

public sealed record OrderLine(string Sku, int Quantity);

public sealed record Order(string Id, string CustomerEmail, Address ShipTo, string CardNumber, IReadOnlyList<OrderLine> Lines);

/// <summary>One rule an order broke: which check found it, which field, and what is wrong.</summary>
public sealed class ValidationException(string check, string field, string problem)
    : Exception($"{field}: {problem}")
{
    public string Check { get; } = check;

    public string Field { get; } = field;

    public string Problem { get; } = problem;
}

/// <summary>
/// The services the checks call: an address verifier, a card network, the warehouse. Each answers after
/// a short delay, as a remote call would, and honours the token.
/// </summary>
public sealed class SimulatedCheckServices
{
    private static readonly Dictionary<string, int> Stock = new() { ["KETTLE-1"] = 12, ["MUG-2"] = 40, ["TEAPOT-3"] = 0 };

    public async Task<bool> IsDeliverableAsync(Address address, CancellationToken cancellationToken)
    {
        await Task.Delay(150, cancellationToken).ConfigureAwait(false);
        return address.Country is "PT" or "ES" or "FR" && address.PostalCode.Length > 0;
    }

    public async Task<bool> IsCardAcceptedAsync(string cardNumber, CancellationToken cancellationToken)
    {
        await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        return LuhnValid(cardNumber);
    }

    public async Task<int> InStockAsync(string sku, CancellationToken cancellationToken)
    {
        await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        return Stock.GetValueOrDefault(sku);
    }

    private static bool LuhnValid(string number)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = number.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(number[i]))
            {
                return false;
            }

            var digit = number[i] - '0';
            if (doubleIt && (digit *= 2) > 9)
            {
                digit -= 9;
            }

            sum += digit;
            doubleIt = !doubleIt;
        }

        return number.Length >= 12 && sum % 10 == 0;
    }
}
