using Flows.Samples.Batch;
using Flows.Samples.Dataflow;
using Flows.Samples.Fallback;
using Flows.Samples.MultiModel;
using Flows.Samples.Notifications;
using Flows.Samples.PauseResume;
using Flows.Samples.TravelQuote;
using Flows.Samples.Validation;
using Flows.Samples.WordCount;
using Microsoft.Extensions.DependencyInjection;

namespace Flows.DurableTask.Tests.Workflows;

/// <summary>
/// The workflows of samples/Flows.Samples, run durably (SampleEquivalenceTests), and the services their activities
/// create them from. A DI container gives one instance per type, so a workflow taking several sources of one type
/// (the fallback's three rate sources, the notifications' four channels) gets the same one for each; the in-process run
/// the tests compare with is built the same way.
/// </summary>
public static class SampleWorkflows
{
    /// <summary>The records of the batch sample.</summary>
    public const int BatchRecords = 24;

    public static readonly SimulatedRateSource RateSource = new("primary", latencyMilliseconds: 40, rate: 0.9213m);

    public static readonly SimulatedChannel Channel = new("mail", 30);

    public static void Register(DurableTaskRegistry registry)
    {
        TravelQuoteWorkflow.Durable.Register(registry);
        ReviewAnalysisWorkflow.Durable.Register(registry);
        OrderValidationWorkflow.Durable.Register(registry);
        ExchangeRateWorkflow.Durable.Register(registry);
        RecordUploadWorkflow.Durable.Register(registry);
        WordCountWorkflow.Durable.Register(registry);
        NotifyWorkflow.Durable.Register(registry);
        DiamondWorkflow.Durable.Register(registry);
        StagedDiamondWorkflow.Durable.Register(registry);
        PageExportWorkflow.Durable.Register(registry);
    }

    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<ITravelSuppliers, SimulatedSuppliers>();
        services.AddSingleton<IModelClient, SimulatedModels>();
        services.AddSingleton<SimulatedCheckServices>();
        services.AddSingleton<IRateSource>(RateSource);
        services.AddSingleton<INotificationChannel>(Channel);
        services.AddSingleton<RecommendationServices>();
    }
}
