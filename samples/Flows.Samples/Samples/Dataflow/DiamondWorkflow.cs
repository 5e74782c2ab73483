using Flows.Samples.Shared;

namespace Flows.Samples.Dataflow;

/// <summary>
/// A diamond under <see cref="Scheduling.Dataflow"/>: FetchCustomer (50 ms) feeds Score (250 ms), FetchCatalog
/// (300 ms) feeds PickOffers (50 ms), and Recommend joins both branches. Each step starts as soon as what it
/// consumes is ready, so the run takes as long as the longest path, 300 + 50 = 350 ms.
/// </summary>
/// <remarks>Generated: <c>RunAsync(int customerId, CancellationToken)</c>; the result is the last declared step's.</remarks>
[Workflow(Scheduling = Scheduling.Dataflow, Durable = true)]
public sealed partial class DiamondWorkflow
{
    private readonly RecommendationServices _services;

    public DiamondWorkflow(RecommendationServices services) => _services = services;

    public StepTimeline Timeline { get; } = new();

    [Step]
    public Task<Customer> FetchCustomerAsync(int customerId, CancellationToken cancellationToken) =>
        _services.FetchCustomerAsync(customerId, cancellationToken);

    [Step]
    public Task<Catalog> FetchCatalogAsync(CancellationToken cancellationToken) =>
        _services.FetchCatalogAsync(cancellationToken);

    // Starts when FetchCustomerAsync completes (at 50 ms), not when the catalog is in.
    [Step]
    public Task<RiskScore> ScoreAsync(Customer fetchCustomer, CancellationToken cancellationToken) =>
        _services.ScoreAsync(fetchCustomer, cancellationToken);

    [Step]
    public Task<Offers> PickOffersAsync(Catalog fetchCatalog, CancellationToken cancellationToken) =>
        _services.PickOffersAsync(fetchCatalog, cancellationToken);

    [Step]
    public static Recommendation Recommend(Customer fetchCustomer, RiskScore score, Offers pickOffers) =>
        new(fetchCustomer, score, pickOffers);

    partial void OnStepStarting(in StepContext context) => Timeline.Started(context);

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => Timeline.Ended(context);
}

/// <summary>
/// The same diamond in stages (the default <see cref="Scheduling.Sequential"/>): both fetches in one group,
/// then both follow-ups in another. Score has to wait for the slow catalog, so the run takes 300 + 250 = 550 ms.
/// </summary>
[Workflow(Durable = true)]
public sealed partial class StagedDiamondWorkflow
{
    private readonly RecommendationServices _services;

    public StagedDiamondWorkflow(RecommendationServices services) => _services = services;

    public StepTimeline Timeline { get; } = new();

    [Step, Parallel("fetch")]
    public Task<Customer> FetchCustomerAsync(int customerId, CancellationToken cancellationToken) =>
        _services.FetchCustomerAsync(customerId, cancellationToken);

    [Step, Parallel("fetch")]
    public Task<Catalog> FetchCatalogAsync(CancellationToken cancellationToken) =>
        _services.FetchCatalogAsync(cancellationToken);

    [Step, Parallel("derive")]
    public Task<RiskScore> ScoreAsync(Customer fetchCustomer, CancellationToken cancellationToken) =>
        _services.ScoreAsync(fetchCustomer, cancellationToken);

    [Step, Parallel("derive")]
    public Task<Offers> PickOffersAsync(Catalog fetchCatalog, CancellationToken cancellationToken) =>
        _services.PickOffersAsync(fetchCatalog, cancellationToken);

    [Step]
    public static Recommendation Recommend(Customer fetchCustomer, RiskScore score, Offers pickOffers) =>
        new(fetchCustomer, score, pickOffers);

    partial void OnStepStarting(in StepContext context) => Timeline.Started(context);

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => Timeline.Ended(context);
}
