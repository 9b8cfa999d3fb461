using System.Net;
using System.Text;
using System.Text.Json;
using CinchFlows.Web.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>Standard Webhooks on the endpoint: unsigned, forged or stale deliveries get 401 and change nothing.</summary>
public sealed class TelephonyWebhookSignatureTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(Start);
    private WebhookTestApp app = null!;

    public async Task InitializeAsync() => app = await WebhookTestApp.StartAsync(clock: clock);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public void The_app_runs_on_the_injected_clock() => Assert.Equal(Start, app.Now);

    [Theory]
    [InlineData(-300)]
    [InlineData(0)]
    [InlineData(300)]
    public async Task A_timestamp_within_five_minutes_either_way_is_accepted(int offsetSeconds)
    {
        using var response = await app.PostAsync(Body($"call-in-{offsetSeconds + 1000}"), timestamp: Start.ToUnixTimeSeconds() + offsetSeconds);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    public async Task A_timestamp_beyond_five_minutes_is_a_401_naming_the_timestamp(int offsetSeconds)
    {
        var callId = $"call-out-{offsetSeconds + 100_000}";

        using var response = await app.PostAsync(Body(callId), timestamp: Start.ToUnixTimeSeconds() + offsetSeconds);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await Problem(response);
        Assert.Contains("timestamp", problem.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Null(await app.Durable.GetInstanceAsync(Flows.BusinessKeys.SupervisorCallback(callId)));
    }

    [Fact]
    public async Task The_tolerance_follows_the_clock()
    {
        var sentAt = Start.ToUnixTimeSeconds();
        clock.Advance(TimeSpan.FromSeconds(301));

        using var response = await app.PostAsync(Body("call-clock"), timestamp: sentAt);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Either_of_two_rotated_secrets_is_accepted()
    {
        using var primary = await app.PostAsync(Body("call-rot-1"), secret: WebhookSecrets.Primary);
        using var rotated = await app.PostAsync(Body("call-rot-2"), secret: WebhookSecrets.Rotated);

        Assert.Equal(HttpStatusCode.Accepted, primary.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, rotated.StatusCode);
    }

    [Fact]
    public async Task A_secret_that_is_not_configured_is_a_401_naming_the_signature()
    {
        using var response = await app.PostAsync(Body("call-wrong"), secret: WebhookSecrets.Unknown);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Problem(response);
        Assert.Contains("signature", problem.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Null(await app.Durable.GetInstanceAsync(Flows.BusinessKeys.SupervisorCallback("call-wrong")));
    }

    [Fact]
    public async Task A_stale_timestamp_with_a_wrong_signature_only_says_signature()
    {
        using var response = await app.PostAsync(Body("call-both"), timestamp: Start.ToUnixTimeSeconds() - 3600, secret: WebhookSecrets.Unknown);

        Assert.Contains("signature", (await Problem(response)).GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_forged_signature_is_a_401()
    {
        using var request = WebhookRequests.Signed(Body("call-forged"), app.Now);
        request.Headers.Remove("webhook-signature");
        request.Headers.TryAddWithoutValidation("webhook-signature", "v1," + Convert.ToBase64String(new byte[32]));

        using var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_a_401()
    {
        using var request = WebhookRequests.Signed(Body("call-original"), app.Now);
        request.Content = new StringContent(Body("call-tampered"), Encoding.UTF8, WebhookRequests.CloudEventsJson);

        using var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await app.Durable.GetInstanceAsync(Flows.BusinessKeys.SupervisorCallback("call-tampered")));
    }

    [Fact]
    public async Task One_valid_signature_among_several_is_enough()
    {
        var id = WebhookRequests.NewId();
        var body = Body("call-several");
        var at = app.Now.ToUnixTimeSeconds();
        var valid = StandardWebhookSignature.Sign(StandardWebhookSignature.DecodeSecret(WebhookSecrets.Rotated), id, at, Encoding.UTF8.GetBytes(body));
        using var request = WebhookRequests.Signed(body, app.Now, id);
        request.Headers.Remove("webhook-signature");
        request.Headers.TryAddWithoutValidation("webhook-signature", $"v1,{Convert.ToBase64String(new byte[32])} v2,abc {valid}");

        using var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task More_than_eight_signatures_is_a_401_saying_so()
    {
        var id = WebhookRequests.NewId();
        var body = Body("call-too-many");
        var valid = StandardWebhookSignature.Sign(StandardWebhookSignature.DecodeSecret(WebhookSecrets.Primary), id, app.Now.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(body));
        using var request = WebhookRequests.Signed(body, app.Now, id);
        request.Headers.Remove("webhook-signature");
        request.Headers.TryAddWithoutValidation("webhook-signature", string.Join(' ', Enumerable.Repeat("v1," + Convert.ToBase64String(new byte[32]), 8)) + " " + valid);

        using var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("Too many webhook signatures", problem.GetProperty("title").GetString());
        Assert.Contains("more than 8", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await app.Durable.GetInstanceAsync(Flows.BusinessKeys.SupervisorCallback("call-too-many")));
    }

    [Fact]
    public async Task Repeated_401s_are_logged_once_a_minute_with_their_count()
    {
        for (var i = 0; i < 5; i++)
        {
            using var forged = await app.PostAsync(Body($"call-flood-{i}"), secret: WebhookSecrets.Unknown);
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        Assert.Equal(["1 webhook(s) refused"], Warnings2403().Select(Count));

        clock.Advance(TimeSpan.FromSeconds(59));
        using (var stillQuiet = await app.PostAsync(Body("call-flood-quiet"), secret: WebhookSecrets.Unknown))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, stillQuiet.StatusCode);
        }

        Assert.Single(Warnings2403());

        clock.Advance(TimeSpan.FromSeconds(1));
        using (var next = await app.PostAsync(Body("call-flood-next"), secret: WebhookSecrets.Unknown))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, next.StatusCode);
        }

        Assert.Equal(["1 webhook(s) refused", "6 webhook(s) refused"], Warnings2403().Select(Count));

        IEnumerable<string> Warnings2403() => app.Logs.Lines.Where(line => line.Contains(" 2403 ", StringComparison.Ordinal));

        static string Count(string line) => System.Text.RegularExpressions.Regex.Match(line, @"\d+ webhook\(s\) refused").Value;
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public async Task A_missing_header_is_a_401(string header)
    {
        using var request = WebhookRequests.Signed(Body("call-missing"), app.Now);
        request.Headers.Remove(header);

        using var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("signature", (await Problem(response)).GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task No_headers_at_all_is_a_401()
    {
        using var request = WebhookRequests.Unsigned(Encoding.UTF8.GetBytes(Body("call-none")));

        using var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("webhook-timestamp", "not-a-number")]
    [InlineData("webhook-timestamp", "-1614265330")]
    [InlineData("webhook-timestamp", "1e9")]
    [InlineData("webhook-timestamp", "99999999999999999999999")]
    [InlineData("webhook-signature", "v1,")]
    [InlineData("webhook-signature", "garbage")]
    public async Task A_malformed_header_is_a_401(string header, string value)
    {
        using var request = WebhookRequests.Signed(Body("call-malformed"), app.Now);
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_repeated_header_is_a_401()
    {
        using var request = WebhookRequests.Signed(Body("call-repeated"), app.Now);
        request.Headers.TryAddWithoutValidation("webhook-id", "msg_second");

        using var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(256, HttpStatusCode.Accepted)]
    [InlineData(257, HttpStatusCode.Unauthorized)]
    public async Task A_webhook_id_may_be_256_characters(int length, HttpStatusCode expected)
    {
        var id = "msg_" + new string('x', length - 4);

        using var response = await app.PostAsync(Body("call-long-id-" + length), id);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_webhook_id_with_characters_table_keys_forbid_works()
    {
        using var response = await app.PostAsync(Body("call-odd-id"), "msg/with#odd?chars\\and~more%");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task The_401_body_does_not_say_which_secret_or_header_failed()
    {
        using var response = await app.PostAsync(Body("call-quiet"), secret: WebhookSecrets.Unknown);

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("whsec", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expected", text, StringComparison.OrdinalIgnoreCase);
    }

    private static string Body(string callId) =>
        WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId, agentId = "agent-1", customerId = "cust-1", supervisorAvailable = true });

    private static async Task<JsonElement> Problem(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
