using Microsoft.Extensions.DependencyInjection;

namespace Flows.DurableTask.Tests.Workflows;

/// <summary>The generated durable workflows the tests run, and the services their activities create them from.</summary>
public static class GeneratedWorkflows
{
    public static void Register(DurableTaskRegistry registry)
    {
        QuoteWorkflow.Durable.Register(registry);
        SampleWorkflows.Register(registry);
        SemanticsWorkflows.Register(registry);
        SplitSquaresWorkflow.Durable.Register(registry);
        SplitOutcomesWorkflow.Durable.Register(registry);
    }

    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<IPrices, FixedPrices>();
        SampleWorkflows.AddServices(services);
        SemanticsWorkflows.AddServices(services);
    }
}
