using CinchFlows.Durable.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CinchFlows.Durable.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_bound_from_the_Durable_section()
    {
        var options = Resolve(new Dictionary<string, string?> { ["Durable:MaxDequeueCount"] = "7" });

        Assert.Equal(7, options.MaxDequeueCount);
        Assert.Equal("cinchflows", options.TaskHubName);
        Assert.Equal(TimeSpan.FromSeconds(2), options.MaxPollingInterval);
    }

    [Theory]
    [InlineData("Durable:TaskHubName", "Has-Dashes", "TaskHubName")]
    [InlineData("Durable:MaxDequeueCount", "0", "MaxDequeueCount")]
    [InlineData("Durable:SweepInterval", "-00:00:01", "SweepInterval")]
    [InlineData("Durable:MinPollingInterval", "00:00:05", "MinPollingInterval")]
    public void Bad_settings_are_refused_with_the_key_named(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private static DurableTaskOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddDurableTask(_ => { }).UseInMemoryStore();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<DurableTaskOptions>>().Value;
    }
}
