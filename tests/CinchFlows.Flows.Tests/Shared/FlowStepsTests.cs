using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.Starts;
using CinchFlows.Flows.SupervisorCallback;
using Microsoft.DurableTask;

namespace CinchFlows.Flows.Tests.Shared;

public sealed class FlowStepsTests
{
    [Theory]
    [InlineData(5, "00:00:02", 2.0, "00:01:00", 7)]
    [InlineData(5, "00:00:00.200", 2.0, "00:00:05", 20)]
    [InlineData(20, "00:00:10", 1.0, "00:00:10", 20)]
    public void StartRetry_WaitsLongerThanAClaimLives_KeepingTheCommandIntervals(int attempts, string first, double coefficient, string max, int expectedAttempts)
    {
        var commands = new FlowCommandOptions
        {
            MaxAttempts = attempts,
            FirstRetryInterval = TimeSpan.Parse(first, System.Globalization.CultureInfo.InvariantCulture),
            BackoffCoefficient = coefficient,
            MaxRetryInterval = TimeSpan.Parse(max, System.Globalization.CultureInfo.InvariantCulture),
        };
        var settings = new FlowSettings(new MedicalEmergencyOptions(), new EscalationOptions(), new SupervisorCallbackOptions(), commands);

        var policy = FlowSteps.StartRetry(settings).Retry!.Policy!;

        Assert.Equal(expectedAttempts, policy.MaxNumberOfAttempts);
        Assert.True(Span(policy) > StartClaim.Timeout, $"The retries wait {Span(policy)} in all.");
        Assert.Equal((commands.FirstRetryInterval, commands.BackoffCoefficient, commands.MaxRetryInterval), (policy.FirstRetryInterval, policy.BackoffCoefficient, policy.MaxRetryInterval));
    }

    /// <summary>How long the waits between all attempts of <paramref name="policy"/> add up to.</summary>
    internal static TimeSpan Span(RetryPolicy policy)
    {
        var total = TimeSpan.Zero;
        var delay = policy.FirstRetryInterval;
        for (var attempt = 1; attempt < policy.MaxNumberOfAttempts; attempt++)
        {
            total += delay < policy.MaxRetryInterval ? delay : policy.MaxRetryInterval;
            delay *= policy.BackoffCoefficient;
        }

        return total;
    }
}
