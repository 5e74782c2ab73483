namespace Flows.Samples.Dataflow;

public sealed record Customer(int Id, string Name);

public sealed record RiskScore(int Value);

public sealed record Catalog(IReadOnlyList<string> Products);

public sealed record Offers(IReadOnlyList<string> Products);

public sealed record Recommendation(Customer Customer, RiskScore Score, Offers Offers)
{
    public override string ToString() =>
        $"{Customer.Name}: {string.Join(", ", Offers.Products)} (risk {Score.Value}/100)";
}

/// <summary>
/// The four calls of the diamond, with the latencies the sample is about: customer 50 ms then score 250 ms;
/// catalog 300 ms then offers 50 ms. Delays honour the token.
/// </summary>
public sealed class RecommendationServices
{
    public async Task<Customer> FetchCustomerAsync(int customerId, CancellationToken cancellationToken)
    {
        await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        return new Customer(customerId, "Marta Sousa");
    }

    public async Task<RiskScore> ScoreAsync(Customer customer, CancellationToken cancellationToken)
    {
        await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        return new RiskScore(12 + customer.Id % 7);
    }

    public async Task<Catalog> FetchCatalogAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(300, cancellationToken).ConfigureAwait(false);
        return new Catalog(["espresso machine", "milk frother", "grinder", "descaler", "travel mug"]);
    }

    public async Task<Offers> PickOffersAsync(Catalog catalog, CancellationToken cancellationToken)
    {
        await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        return new Offers(catalog.Products.Take(3).ToArray());
    }
}
