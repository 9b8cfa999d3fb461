using CinchFlows.Functions.Hosting;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Moq;

namespace CinchFlows.Functions.Tests.Support;

/// <summary>The Functions app's services as its Program registers them, with a Moq <see cref="DurableTaskClient"/> bound as the extension's.</summary>
public static class FunctionsServices
{
    public const string OpsKey = "functions-test-ops-key-0123456789";

    public const string SupervisorKey = "functions-test-supervisor-key-0123456789";

    /// <summary>Builds them; <paramref name="replace"/> registers test doubles first (the app's own registrations only try to add).</summary>
    public static ServiceProvider Build(Mock<DurableTaskClient> client, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? replace = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Access:Keys:0:key"] = OpsKey,
            ["Access:Keys:0:role"] = "ops",
            ["Access:Keys:1:key"] = SupervisorKey,
            ["Access:Keys:1:role"] = "supervisor",
        }).AddInMemoryCollection(TestTokens.HostSettings).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Production, ApplicationName = "CinchFlows.Functions" });
        services.AddLogging();

        // The app's own start claims live in a table; these tests have no storage (the client is a mock).
        services.AddSingleton<CinchFlows.Flows.Starts.IStartClaims>(new CinchFlows.Flows.Starts.InMemoryStartClaims(TimeProvider.System));
        replace?.Invoke(services);
        services.AddCinchFlowsFunctions(configuration);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<BoundDurableTaskClient>().Bind(client.Object);
        return provider;
    }

    public static Mock<DurableTaskClient> Client() => new("test") { CallBase = false };
}
