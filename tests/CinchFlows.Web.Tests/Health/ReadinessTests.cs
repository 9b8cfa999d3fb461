using CinchFlows.Storage;
using CinchFlows.Web.Health;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CinchFlows.Web.Tests.Health;

/// <summary>
/// Readiness decides from what storage did to this process's own requests before it sends a probe: slow answers keep a
/// busy process ready; only failing for <c>Health:FailAfter</c> without an answer, or an idle process whose probe fails,
/// makes it not ready.
/// </summary>
public sealed class ReadinessTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 5, 2, 0, 0, TimeSpan.Zero));
    private readonly Mock<IEngineHealth> engine = new();
    private readonly StorageRequestCounter requests;
    private int probes;
    private bool ops = true;

    public ReadinessTests()
    {
        requests = new StorageRequestCounter(clock);
        engine.SetupGet(e => e.Ready).Returns(true);
        engine.SetupGet(e => e.Store).Returns("AzureStorage");
        engine.Setup(e => e.CheckStorageAsync(It.IsAny<CancellationToken>())).Returns(() =>
        {
            probes++;
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task A_recent_answer_makes_the_process_ready_without_a_probe()
    {
        requests.Answered();
        clock.Advance(TimeSpan.FromSeconds(29));

        var report = Assert.IsType<Ok<HealthReport>>(await CheckAsync());

        Assert.Equal("recent-answer", report.Value!.StorageCheck);
        Assert.Equal(29_000, report.Value.StorageLatencyMs);
        Assert.Equal(0, probes);
    }

    [Fact]
    public async Task Failures_shorter_than_FailAfter_between_answers_do_not_make_it_unready()
    {
        requests.Answered();
        clock.Advance(TimeSpan.FromSeconds(1));
        requests.Failed("no answer within the network timeout");
        clock.Advance(TimeSpan.FromSeconds(4));

        Assert.IsType<Ok<HealthReport>>(await CheckAsync());
        Assert.Equal(0, probes);
    }

    [Fact]
    public async Task Failing_for_FailAfter_without_an_answer_is_503_with_the_reason_when_the_probe_fails_too()
    {
        requests.Answered();
        clock.Advance(TimeSpan.FromSeconds(1));
        requests.Failed("Connection refused (127.0.0.1:10002)");
        clock.Advance(TimeSpan.FromSeconds(5));
        engine.Setup(e => e.CheckStorageAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("Connection refused"));

        var problem = Assert.IsType<ProblemHttpResult>(await CheckAsync());

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, problem.StatusCode);
        Assert.Contains("none of this process's requests for 5 s", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Contains("Connection refused (127.0.0.1:10002)", problem.ProblemDetails.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_failing_streak_a_probe_that_answers_makes_it_ready_again()
    {
        requests.Failed("Connection refused");
        clock.Advance(TimeSpan.FromSeconds(60));

        var report = Assert.IsType<Ok<HealthReport>>(await CheckAsync());

        Assert.Equal("probe", report.Value!.StorageCheck);
        Assert.Equal(1, probes);
    }

    [Fact]
    public async Task An_idle_process_probes_and_is_503_when_the_probe_does_not_answer_in_time()
    {
        requests.Answered();
        clock.Advance(TimeSpan.FromSeconds(31));
        engine.Setup(e => e.CheckStorageAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException());

        var problem = Assert.IsType<ProblemHttpResult>(await CheckAsync());

        Assert.Equal("Storage did not answer within 3 s.", problem.ProblemDetails.Detail);
    }

    [Fact]
    public async Task An_engine_that_has_not_started_is_not_ready_whatever_storage_says()
    {
        requests.Answered();
        engine.SetupGet(e => e.Ready).Returns(false);

        var problem = Assert.IsType<ProblemHttpResult>(await CheckAsync());

        Assert.Equal("The Durable Task engine has not started.", problem.ProblemDetails.Detail);
    }

    [Fact]
    public async Task Without_the_ops_policy_the_503_says_plain_words_and_not_the_storage_error()
    {
        ops = false;
        requests.Answered();
        clock.Advance(TimeSpan.FromSeconds(1));
        requests.Failed("Connection refused (127.0.0.1:10002)");
        clock.Advance(TimeSpan.FromSeconds(5));
        engine.Setup(e => e.CheckStorageAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("Connection refused"));

        var problem = Assert.IsType<ProblemHttpResult>(await CheckAsync());

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, problem.StatusCode);
        Assert.Equal("Storage is not answering.", problem.ProblemDetails.Detail);
    }

    [Fact]
    public async Task Without_the_ops_policy_the_200_is_the_status_only()
    {
        ops = false;
        requests.Answered();

        var result = await CheckAsync();

        Assert.IsNotType<Ok<HealthReport>>(result);
        Assert.Equal(StatusCodes.Status200OK, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
    }

    [Fact]
    public void Liveness_asks_nothing()
    {
        Assert.Equal(StatusCodes.Status200OK, Assert.IsAssignableFrom<IStatusCodeHttpResult>(HealthEndpoints.Live()).StatusCode);
        engine.VerifyNoOtherCalls();
    }

    // The ops policy's verdict is this.ops; evaluating a real key is the hosts' tests' part.
    private Task<IResult> CheckAsync()
    {
        var policy = new AuthorizationPolicyBuilder().RequireAssertion(_ => true).Build();
        var policies = new Mock<IAuthorizationPolicyProvider>();
        policies.Setup(p => p.GetPolicyAsync(It.IsAny<string>())).ReturnsAsync(policy);
        var evaluator = new Mock<IPolicyEvaluator>();
        evaluator.Setup(e => e.AuthenticateAsync(policy, It.IsAny<HttpContext>())).ReturnsAsync(AuthenticateResult.NoResult());
        evaluator.Setup(e => e.AuthorizeAsync(policy, It.IsAny<AuthenticateResult>(), It.IsAny<HttpContext>(), null))
            .ReturnsAsync(ops ? PolicyAuthorizationResult.Success() : PolicyAuthorizationResult.Challenge());
        return HealthEndpoints.CheckAsync(
            new DefaultHttpContext(), policies.Object, evaluator.Object, engine.Object, requests, clock, Options.Create(new HealthOptions()), NullLoggerFactory.Instance, CancellationToken.None);
    }
}
