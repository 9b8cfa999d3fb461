using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.SupervisorCallback;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CinchFlows.Flows.Tests;

public sealed class FlowsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task Settings_AreBoundFromConfiguration_AndReadByTheSettingsActivity()
    {
        using var services = Services(new Dictionary<string, string?>
        {
            ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:30",
            ["Flows:MedicalEmergency:TransferAttempts"] = "2",
            ["Flows:MedicalEmergency:CustomerServiceExtension"] = "70000",
            ["Flows:Escalation:Tiers"] = "group,director",
            ["Flows:Escalation:Reasons:billing-error:Route"] = "CustomerServiceEscalations",
            ["Flows:Escalation:Reasons:billing-error:SubReasons"] = "double-charge,refund-missing",
            ["Flows:Commands:MaxAttempts"] = "9",
        });

        var settings = await ActivatorUtilities.CreateInstance<GetFlowSettingsActivity>(services).RunAsync(null!, null);

        Assert.Equal((TimeSpan.FromSeconds(30), 2, "70000"), (settings.MedicalEmergency.ConnectTimeout, settings.MedicalEmergency.TransferAttempts, settings.MedicalEmergency.CustomerServiceExtension));
        Assert.Equal(["group", "director"], settings.Escalation.TierList());
        Assert.Equal(EscalationRoute.CustomerServiceEscalations, settings.Escalation.Find("billing-error", "refund-missing")?.Route);
        Assert.NotNull(settings.Escalation.Find("safety-risk", "unsafe"));
        Assert.Equal(9, settings.Commands.ToRetryPolicy().MaxNumberOfAttempts);
        Assert.IsType<InMemoryCallbackTaskStore>(services.GetRequiredService<ICallbackTaskStore>());
    }

    [Theory]
    [InlineData("Flows:Commands:FirstRetryInterval", "00:00:00")]
    [InlineData("Flows:Escalation:Tiers", " , ")]
    [InlineData("Flows:SupervisorCallback:Tiers", ",")]
    [InlineData("Flows:MedicalEmergency:TransferAttempts", "0")]
    public void InvalidSettings_AreRefused(string key, string value)
    {
        using var services = Services(new Dictionary<string, string?> { [key] = value });

        Assert.Throws<OptionsValidationException>(() =>
        {
            _ = services.GetRequiredService<IOptionsMonitor<MedicalEmergencyOptions>>().CurrentValue;
            _ = services.GetRequiredService<IOptionsMonitor<EscalationOptions>>().CurrentValue;
            _ = services.GetRequiredService<IOptionsMonitor<SupervisorCallbackOptions>>().CurrentValue;
            _ = services.GetRequiredService<IOptionsMonitor<FlowCommandOptions>>().CurrentValue;
        });
    }

    [Fact]
    public void ARetryCapBelowTheFirstWait_IsTakenAsTheFirstWait()
    {
        var policy = new FlowCommandOptions { FirstRetryInterval = TimeSpan.FromSeconds(5), MaxRetryInterval = TimeSpan.FromSeconds(1) }.ToRetryPolicy();

        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)), (policy.FirstRetryInterval, policy.MaxRetryInterval));
    }

    [Fact]
    public void Registry_TakesTheThreeFlowsAndEveryActivity()
    {
        var registry = new DurableTaskRegistry();

        Assert.Same(registry, registry.AddCallCenterFlows());

        // Registering a name twice throws: every name below is taken already.
        foreach (var name in new[]
        {
            FlowNames.MedicalEmergencyTransfer, FlowNames.SeverityEscalation, FlowNames.SupervisorCallback,
        })
        {
            Assert.Throws<ArgumentException>(() => registry.AddOrchestratorFunc(name, _ => Task.CompletedTask));
        }

        foreach (var name in new[]
        {
            nameof(GetFlowSettingsActivity), nameof(Telephony.SendTelephonyCommandActivity), nameof(Notifications.PublishNotificationActivity), nameof(StartFlowActivity),
            nameof(OpenCallbackTaskActivity), nameof(RecordCallbackProgressActivity), nameof(ReadCallbackClaimActivity),
        })
        {
            Assert.Throws<ArgumentException>(() => registry.AddActivityFunc(name, _ => Task.CompletedTask));
        }
    }

    private static ServiceProvider Services(IDictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddCallCenterFlows(inMemory: true);
        return services.BuildServiceProvider();
    }
}
