using System.Net;
using System.Text;
using System.Text.Json;
using CinchFlows.Web.Tests.Support;
using CinchFlows.Web.Webhooks;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>Bad input gets a clear 4xx with problem details, never a 5xx, and starts nothing.</summary>
public sealed class TelephonyWebhookInputTests : IAsyncLifetime
{
    private WebhookTestApp app = null!;

    public async Task InitializeAsync() => app = await WebhookTestApp.StartAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("application/cloudevents+json")]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/CloudEvents+JSON; charset=\"UTF-8\"")]
    public async Task Both_JSON_content_types_are_accepted(string contentType)
    {
        var callId = "call-ct-" + Math.Abs(contentType.GetHashCode(StringComparison.Ordinal));

        using var response = await app.PostAsync(Supervisor(callId), contentType: contentType);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/cloudevents-batch+json")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task Other_content_types_are_a_415(string contentType)
    {
        using var response = await app.PostAsync(Supervisor("call-415"), contentType: contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(await app.Durable.GetInstanceAsync("callback-call-415"));
    }

    [Fact]
    public async Task No_content_type_is_a_415()
    {
        var body = Encoding.UTF8.GetBytes(Supervisor("call-415b"));
        using var request = WebhookRequests.Signed(body, app.Now, contentType: null);

        using var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_a_413()
    {
        var body = Event(TelephonyEventTypes.CallEnded, new { callId = "call-big", padding = new string('x', 70 * 1024) });

        using var response = await app.PostAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_64_KiB_without_Content_Length_is_a_413()
    {
        var body = Encoding.UTF8.GetBytes(Event(TelephonyEventTypes.CallEnded, new { callId = "call-big", padding = new string('x', 70 * 1024) }));
        using var request = WebhookRequests.Signed(body, app.Now, content: new UnknownLengthContent(body));

        using var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_body_of_exactly_64_KiB_is_read()
    {
        var prefix = Supervisor("call-64k");
        var padded = prefix + new string(' ', (64 * 1024) - Encoding.UTF8.GetByteCount(prefix));

        using var response = await app.PostAsync(padded);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_type_is_a_400_listing_the_known_ones()
    {
        var problem = await Refused(Event("com.cinch.call.hold.started", new { callId = "call-1" }));

        Assert.Contains("com.cinch.call.hold.started", problem, StringComparison.Ordinal);
        Assert.Contains(TelephonyEventTypes.MedicalEmergencyFlagged, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("callId")]
    [InlineData("agentId")]
    [InlineData("customerId")]
    [InlineData("supervisorAvailable")]
    public async Task A_missing_field_is_a_400_naming_it(string field)
    {
        var data = new Dictionary<string, object?> { ["callId"] = "call-miss", ["agentId"] = "a", ["customerId"] = "c", ["supervisorAvailable"] = true };
        data.Remove(field);

        var problem = await Refused(Event(TelephonyEventTypes.SupervisorRequested, data));

        Assert.Contains($"'data.{field}'", problem, StringComparison.Ordinal);
        Assert.Null(await app.Durable.GetInstanceAsync("callback-call-miss"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_blank_required_field_is_a_400(string blank)
    {
        var problem = await Refused(Event(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-blank", agentId = blank, customerId = "c" }));

        Assert.Contains("'data.agentId' is required", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TelephonyEventTypes.SupervisorRequested, "supervisorAvailable", "\"true\"")]
    [InlineData(TelephonyEventTypes.SupervisorRequested, "supervisorAvailable", "1")]
    [InlineData(TelephonyEventTypes.SupervisorRequested, "callId", "42")]
    [InlineData(TelephonyEventTypes.SupervisorRequested, "agentId", "{\"id\":\"a\"}")]
    [InlineData(TelephonyEventTypes.SupervisorRequested, "customerId", "[\"c\"]")]
    [InlineData(TelephonyEventTypes.EscalationRaised, "provider", "\"prov-1\"")]
    [InlineData(TelephonyEventTypes.EscalationRaised, "contactRole", "2")]
    [InlineData(TelephonyEventTypes.EscalationRaised, "severity", "true")]
    public async Task A_field_of_the_wrong_JSON_type_is_a_400_naming_it(string type, string field, string json)
    {
        var data = type == TelephonyEventTypes.SupervisorRequested
            ? """{"callId":"call-type","agentId":"a","customerId":"c","supervisorAvailable":true}"""
            : """{"serviceJobId":"job-type","reason":"service-delay","subReason":"general","raisedBy":"a","contactRole":"customer"}""";
        var node = System.Text.Json.Nodes.JsonNode.Parse(data)!.AsObject();
        node[field] = System.Text.Json.Nodes.JsonNode.Parse(json);

        var problem = await Refused(Event(type, node));

        Assert.Contains($"'data.{field}'", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("contactRole", "journalist")]
    [InlineData("severity", "Apocalyptic")]
    [InlineData("severity", "3")]
    public async Task An_unknown_enum_value_is_a_400_listing_the_known_ones(string field, string value)
    {
        var data = new Dictionary<string, object?> { ["serviceJobId"] = "job-enum", ["reason"] = "service-delay", ["subReason"] = "general", ["raisedBy"] = "a", ["contactRole"] = "customer" };
        data[field] = value;

        var problem = await Refused(Event(TelephonyEventTypes.EscalationRaised, data));

        Assert.Contains($"'data.{field}'", problem, StringComparison.Ordinal);
        Assert.Contains(field == "contactRole" ? "serviceProfessional" : "medicalEmergency", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_escalation_reason_pair_is_a_400()
    {
        var problem = await Refused(Event(TelephonyEventTypes.EscalationRaised, new { serviceJobId = "job-pair", reason = "safety-risk", subReason = "general", raisedBy = "a", contactRole = "customer" }));

        Assert.Contains("Unknown escalation reason pair", problem, StringComparison.Ordinal);
        Assert.Null(await app.Durable.GetInstanceAsync("escalation-job-pair-safety-risk"));
    }

    [Fact]
    public async Task An_unknown_time_zone_is_a_400()
    {
        var problem = await Refused(Event(TelephonyEventTypes.EscalationRaised, new
        {
            serviceJobId = "job-tz",
            reason = "service-delay",
            subReason = "general",
            raisedBy = "a",
            contactRole = "customer",
            provider = new { providerId = "p", timeZone = "Mars/Olympus_Mons", phone = "+1555" },
        }));

        Assert.Contains("provider.timeZone", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_without_a_phone_is_a_400()
    {
        var problem = await Refused(Event(TelephonyEventTypes.EscalationRaised, new
        {
            serviceJobId = "job-phone",
            reason = "service-delay",
            subReason = "general",
            raisedBy = "a",
            contactRole = "customer",
            provider = new { providerId = "p", timeZone = "America/Chicago" },
        }));

        Assert.Contains("'data.provider.phone'", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("call/with/slashes")]
    [InlineData("call with spaces")]
    [InlineData("call#1")]
    [InlineData("ünïcode")]
    public async Task An_unusable_call_id_is_a_400(string callId)
    {
        var problem = await Refused(Event(TelephonyEventTypes.CallEnded, new { callId }));

        Assert.Contains("callId", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(121)]
    [InlineData(500)]
    public async Task A_too_long_call_id_is_a_400(int length)
    {
        var problem = await Refused(Event(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = new string('c', length), agentId = "a", customerId = "c" }));

        Assert.Contains("callId", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"specversion\":\"1.0\",")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"a string\"")]
    [InlineData("42")]
    [InlineData("{}")]
    [InlineData("{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"data\":{\"callId\":\"c\"}}")]
    [InlineData("{\"specversion\":\"1.0\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"data\":{\"callId\":\"c\"}}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"type\":\"com.cinch.call.ended\",\"data\":{\"callId\":\"c\"}}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"data\":{\"callId\":\"c\"}}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\"}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"data\":null}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"data\":[\"c\"]}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"data\":\"c\"}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"data_base64\":\"e30=\"}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"datacontenttype\":\"text/plain\",\"data\":\"c\"}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"datacontenttype\":\"]]not a media type[[\",\"data\":{\"callId\":\"c\"}}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"Bad-Extension\":\"x\",\"data\":{\"callId\":\"c\"}}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"ext\":99999999999,\"data\":{\"callId\":\"c\"}}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"ext\":[1],\"data\":{\"callId\":\"c\"}}")]
    [InlineData("{\"specversion\":1.0,\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"data\":{\"callId\":\"c\"}}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":1,\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"data\":{\"callId\":\"c\"}}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"id\":\"2\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"data\":{\"callId\":\"c\"}}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"data\":{\"callId\":\"c\",\"callId\":\"d\"}}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"data\":{\"callId\":null}}")]
    public async Task Hostile_or_malformed_bodies_are_a_400(string body)
    {
        using var response = await app.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("2025-01-31t09:00:00z")]
    [InlineData("2016-12-31T23:59:60Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("yesterday")]
    public async Task A_time_the_CloudEvents_SDK_would_refuse_is_not_a_reason_to_lose_the_event(string time)
    {
        // The service never reads "time": valid RFC 3339 forms the SDK refuses are normalised, others dropped. The call has no flow: 404, not 400.
        var body = $"{{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"time\":\"{time}\",\"data\":{{\"callId\":\"call-time-1\"}}}}";

        using var response = await app.PostAsync(body);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Deeply_nested_JSON_is_a_400()
    {
        var deep = new string('[', 5000) + new string(']', 5000);
        var body = $"{{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"data\":{{\"callId\":\"c\",\"x\":{deep}}}}}";

        using var response = await app.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_huge_string_is_a_400()
    {
        using var response = await app.PostAsync(Event(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-huge", agentId = new string('a', 60_000), customerId = "c" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'data.agentId'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xFF, 0xFE, 0xFD })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public async Task Invalid_UTF8_is_a_400(byte[] invalid)
    {
        var before = Encoding.UTF8.GetBytes("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.ended\",\"data\":{\"callId\":\"c");
        var after = Encoding.UTF8.GetBytes("\"}}");
        using var request = WebhookRequests.Signed([.. before, .. invalid, .. after], app.Now);

        using var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_property_name_is_a_400()
    {
        var body = Encoding.UTF8.GetBytes("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.cinch.call.medical-emergency.flagged\",\"data\":{\"callId\":\"c\",\"agentId\":\"a\",\"customerId\":\"c\",\"x");
        using var request = WebhookRequests.Signed([.. body, 0xC3, 0x28, .. "\":1}}"u8.ToArray()], app.Now);

        using var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_empty_body_is_a_400()
    {
        using var response = await app.PostAsync(string.Empty);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Unsigned_hostile_bodies_are_a_401_not_a_5xx()
    {
        using var request = WebhookRequests.Unsigned([0xFF, 0x00, 0x7B]);

        using var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_storage_outage_is_a_503_with_Retry_After()
    {
        await using var failing = await WebhookTestApp.StartAsync(receipts: new FailingReceiptStore());

        using var response = await failing.PostAsync(Event(TelephonyEventTypes.CallEnded, new { callId = "call-503" }));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(CinchFlows.Web.Http.ApiErrorHandlingExtensions.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Other_methods_are_not_served()
    {
        // Only POST is open; another method matches no open route, so it is closed to the anonymous (docs/api.md §0).
        using var response = await app.Client.GetAsync(WebhookRequests.Path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string Supervisor(string callId) =>
        Event(TelephonyEventTypes.SupervisorRequested, new { callId, agentId = "agent-1", customerId = "cust-1", supervisorAvailable = true });

    private static string Event(string type, object data) => WebhookRequests.Event(type, data);

    private async Task<string> Refused(string body)
    {
        using var response = await app.PostAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
    }
}
