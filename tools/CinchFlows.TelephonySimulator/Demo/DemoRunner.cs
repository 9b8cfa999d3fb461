using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CinchFlows.TelephonySimulator.Demo;

/// <summary>
/// The README's demo: the customer says a key phrase on the live transcript and the agent gets a hint, then the agent
/// flags a medical emergency on the call, receives the agent prompt and the warm transfer, answers
/// the transfer, and follows the flow through the status API until it completes, printing each step.
/// </summary>
internal sealed class DemoRunner(DemoOptions options, TextWriter output)
{
    private const string AgentId = "agent-demo-01";
    private const string CustomerId = "customer-demo-01";
    private const int HistoryLines = 40;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);
    private static readonly string[] Finished = ["Completed", "Failed", "Terminated"];

    private readonly TimeProvider clock = TimeProvider.System;
    private readonly TaskCompletionSource<string> failure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ReceivedCommand> transferReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ReceivedCommand> hintReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int answered;

    /// <summary>Runs the demo; throws <see cref="DemoException"/> with what went wrong and what to do.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var receiver = await StartReceiverAsync(cancellationToken).ConfigureAwait(false);
        await using (receiver.ConfigureAwait(false))
        {
            await RunWithReceiverAsync(receiver, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunWithReceiverAsync(CommandReceiver receiver, CancellationToken cancellationToken)
    {
        Say($"command receiver listening on {receiver.CommandsUri} (the service's Telephony:CommandsUrl)");

        using var http = new HttpClient { Timeout = RequestTimeout };
        using var webhooks = new WebhookSender(options.Service, options.WebhookSecret, http, clock);
        var callId = string.Create(CultureInfo.InvariantCulture, $"demo-{clock.GetUtcNow():yyyyMMdd-HHmmss}-{Random.Shared.Next(0x10000):x4}");
        var serviceRequestId = options.ServiceRequestInProgress
            ? string.Create(CultureInfo.InvariantCulture, $"SR-{Random.Shared.Next(100_000, 1_000_000)}")
            : null;
        using var reactions = receiver.OnActed((command, token) => ReactAsync(command, callId, webhooks, token));

        await HintFirstAsync(webhooks, receiver, callId, cancellationToken).ConfigureAwait(false);
        var instanceId = await StartFlowAsync(webhooks, callId, serviceRequestId, cancellationToken).ConfigureAwait(false);
        var root = options.Service.AbsoluteUri.EndsWith('/') ? options.Service : new Uri(options.Service.AbsoluteUri + "/");
        var statusUri = new Uri(root, $"api/instances/{Uri.EscapeDataString(instanceId)}?showHistory=true");
        if (options.NoAnswer)
        {
            // The receiver stays up and takes every transfer attempt without answering, as a ringing extension would.
            await ShowWaitingAsync(http, statusUri, receiver, cancellationToken).ConfigureAwait(false);
        }

        var status = await WaitForFinishAsync(http, statusUri, receiver, cancellationToken).ConfigureAwait(false);
        Print(status);
        PrintNotifications(status);
        var runtimeStatus = (string?)status["runtimeStatus"];
        if (runtimeStatus != "Completed")
        {
            throw new DemoException($"the flow ended {runtimeStatus}, not Completed (see above).");
        }

        Say("done: the flow completed.");
    }

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static string Show(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    private async Task<CommandReceiver> StartReceiverAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await CommandReceiver.StartAsync(options.CommandSecret, options.CommandPort, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new DemoException(
                $"cannot receive commands on 127.0.0.1:{options.CommandPort} ({ex.Message}). Is another demo running? "
                + "Stop it, or pass --command-port N and point the service's Telephony:CommandsUrl at http://127.0.0.1:N/commands.",
                innerException: ex);
        }
    }

    /// <summary>The customer says a key phrase on the live transcript; the service hints the agent before the agent flags.</summary>
    private async Task HintFirstAsync(WebhookSender webhooks, CommandReceiver receiver, string callId, CancellationToken cancellationToken)
    {
        const string Said = "My mother is on an oxygen concentrator and the power keeps cutting out.";
        HttpResponseMessage response;
        try
        {
            response = await webhooks.TranscriptSegmentAsync(callId, AgentId, "customer", Said, final: true, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new DemoException(
                $"the CinchFlows service is not reachable at {options.Service} ({ex.Message}). Start it with ./scripts/run.sh, or pass --service URL.",
                innerException: ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            Say($"sent webhook {PlatformEventTypes.TranscriptSegment} (call {callId}, customer, final: \"{Said}\") → {(int)response.StatusCode} {response.ReasonPhrase} {Excerpt(body)}");
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new DemoException("the service refused the webhook signature (401): the service must list --secret in Telephony:WebhookSecrets.");
            }

            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new DemoException($"the service answered {(int)response.StatusCode} {response.ReasonPhrase} to the transcript segment: {Excerpt(body)}");
            }
        }

        try
        {
            await hintReceived.Task.WaitAsync(TimeSpan.FromSeconds(15), clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new DemoException($"no agent.hint for this call within 15 s. {Diagnose(receiver)}", innerException: ex);
        }

        Say("the agent saw the hint and now flags the call:");
    }

    private async Task<string> StartFlowAsync(WebhookSender webhooks, string callId, string? serviceRequestId, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await webhooks.MedicalEmergencyFlaggedAsync(callId, AgentId, CustomerId, serviceRequestId, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new DemoException(
                $"the CinchFlows service is not reachable at {options.Service} ({ex.Message}). Start it with ./scripts/run.sh, or pass --service URL.",
                innerException: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DemoException($"the service at {options.Service} did not answer within {RequestTimeout.TotalSeconds:0} s.", innerException: ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var scenario = serviceRequestId is null ? "scenario needs-service" : $"scenario in-progress, service request {serviceRequestId}";
            Say($"sent webhook {PlatformEventTypes.MedicalEmergencyFlagged} (call {callId}, {scenario}) → {(int)response.StatusCode} {response.ReasonPhrase}");
            switch (response.StatusCode)
            {
                case HttpStatusCode.Accepted:
                    break;
                case HttpStatusCode.Unauthorized:
                    throw new DemoException(
                        "the service refused the webhook signature (401). The demo signs with --secret (default: the development secret); the service must list "
                        + "the same secret in Telephony:WebhookSecrets (appsettings.Development.json: run it with ./scripts/run.sh).");
                case HttpStatusCode.NotFound when !body.Contains("callId", StringComparison.Ordinal):
                    throw new DemoException($"the service has no telephony webhook route ({webhooks.EventsUri} → 404). Is it an older build?");
                default:
                    throw new DemoException($"the service answered {(int)response.StatusCode} {response.ReasonPhrase}: {Excerpt(body)}");
            }

            string? instanceId = null;
            try
            {
                instanceId = (string?)JsonNode.Parse(body)?["id"];
            }
            catch (JsonException)
            {
                // Reported below with the body.
            }

            if (string.IsNullOrEmpty(instanceId))
            {
                throw new DemoException($"the 202 carried no management payload with an id: {Excerpt(body)}");
            }

            Say($"flow instance {instanceId}");
            return instanceId;
        }
    }

    private async Task ReactAsync(ReceivedCommand command, string callId, WebhookSender webhooks, CancellationToken cancellationToken)
    {
        if (command.CallId != callId)
        {
            Say($"(ignoring {command.Type} for another call: {command.CallId ?? command.ServiceJobId})");
            return;
        }

        switch (command.Type)
        {
            case "agent.prompt":
                Say($"agent prompt received (script {command.Script}, agent {command.AgentId}, key {command.IdempotencyKey})");
                return;
            case "agent.hint":
                Say($"agent hint received (protocol {command.Protocol}, agent {command.AgentId}, key {command.IdempotencyKey}): {command.Hint}");
                hintReceived.TrySetResult(command);
                return;
            case "transfer.warm":
                Say($"warm transfer to {command.TargetExtension} received (key {command.IdempotencyKey})");
                if (command.Note is not null)
                {
                    Say($"  handoff note: {command.Note}");
                }

                transferReceived.TrySetResult(command);
                break;
            default:
                Say($"{command.Type} received (key {command.IdempotencyKey})");
                return;
        }

        if (options.NoAnswer || Interlocked.Exchange(ref answered, 1) == 1)
        {
            return;
        }

        try
        {
            using var response = await webhooks.TransferConnectedAsync(callId, command.TargetExtension ?? string.Empty, command.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            Say($"sent webhook {PlatformEventTypes.TransferConnected} (call {callId}, extension {command.TargetExtension}) → {(int)response.StatusCode} {response.ReasonPhrase}");
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                failure.TrySetResult($"the service answered {(int)response.StatusCode} to {PlatformEventTypes.TransferConnected}: {Excerpt(body)}");
            }
        }
        catch (HttpRequestException ex)
        {
            failure.TrySetResult($"could not send {PlatformEventTypes.TransferConnected}: {ex.Message}");
        }
    }

    private async Task<JsonObject> GetStatusAsync(HttpClient http, Uri statusUri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, statusUri);
        request.Headers.Add("X-Api-Key", options.ApiKey);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new DemoException($"lost the service at {options.Service} while following the flow ({ex.Message}).", innerException: ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return response.StatusCode switch
            {
                HttpStatusCode.OK or HttpStatusCode.Accepted => JsonNode.Parse(body) as JsonObject
                    ?? throw new DemoException($"the status API answered something other than a JSON object: {Excerpt(body)}"),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => throw new DemoException(
                    $"the status API refused the ops key ({(int)response.StatusCode}). Pass --api-key KEY (the development key is dev-ops-key, Access:Keys in appsettings.Development.json)."),
                HttpStatusCode.NotFound => throw new DemoException($"the service does not know the flow instance ({statusUri} → 404)."),
                _ => throw new DemoException($"the status API answered {(int)response.StatusCode} {response.ReasonPhrase}: {Excerpt(body)}"),
            };
        }
    }

    private async Task<JsonObject> WaitForFinishAsync(HttpClient http, Uri statusUri, CommandReceiver receiver, CancellationToken cancellationToken)
    {
        Say($"following the flow (up to {options.Timeout.TotalSeconds:0} s): GET {statusUri}");
        var started = clock.GetTimestamp();
        string? lastShown = null;
        while (true)
        {
            if (failure.Task.IsCompleted)
            {
                throw new DemoException(await failure.Task.ConfigureAwait(false));
            }

            var status = await GetStatusAsync(http, statusUri, cancellationToken).ConfigureAwait(false);
            var runtimeStatus = (string?)status["runtimeStatus"];
            var shown = $"{runtimeStatus}: {Show(status["customStatus"])}";
            if (shown != lastShown)
            {
                Say($"flow is {shown}");
                lastShown = shown;
            }

            if (Finished.Contains(runtimeStatus))
            {
                return status;
            }

            if (clock.GetElapsedTime(started) > options.Timeout)
            {
                Print(status);
                throw new DemoException($"the flow did not finish within {options.Timeout.TotalSeconds:0} s (last: {shown}). {Diagnose(receiver)}");
            }

            await Task.Delay(PollInterval, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ShowWaitingAsync(HttpClient http, Uri statusUri, CommandReceiver receiver, CancellationToken cancellationToken)
    {
        try
        {
            await transferReceived.Task.WaitAsync(options.Timeout, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new DemoException($"no warm transfer for this call within {options.Timeout.TotalSeconds:0} s. {Diagnose(receiver)}", innerException: ex);
        }

        // The flow records what it waits for once the transfer step is saved; give it a moment to get there.
        var started = clock.GetTimestamp();
        var status = await GetStatusAsync(http, statusUri, cancellationToken).ConfigureAwait(false);
        while (status["waitingFor"] is null && !Finished.Contains((string?)status["runtimeStatus"]) && clock.GetElapsedTime(started) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(PollInterval, clock, cancellationToken).ConfigureAwait(false);
            status = await GetStatusAsync(http, statusUri, cancellationToken).ConfigureAwait(false);
        }

        Say($"not answering the transfer (--no-answer): the flow is {(string?)status["runtimeStatus"]}, waiting for {Show(status["waitingFor"])}");
        Say($"  customStatus: {Show(status["customStatus"])}");
        Say("  it retries the transfer after Flows:MedicalEmergency:ConnectTimeout (default 2 min), then alerts the supervisor and opens a callback;");
        Say($"  following it for up to {options.Timeout.TotalSeconds:0} s (--timeout). Elsewhere: curl -H 'X-Api-Key: {options.ApiKey}' '{statusUri}'");
    }

    private static string Diagnose(CommandReceiver receiver)
    {
        if (receiver.Rejected.Count > 0)
        {
            return $"The receiver refused {receiver.Rejected.Count} delivery(ies) ({string.Join(", ", receiver.Rejected.Select(r => $"{r.StatusCode} {r.Reason}").Distinct())}): "
                + "does the service's Telephony:CommandSecret match --command-secret?";
        }

        if (receiver.Received.Count == 0)
        {
            return $"No command reached {receiver.CommandsUri}: is the service's Telephony:CommandsUrl set to it (and Telephony:CommandSecret to --command-secret)?";
        }

        return receiver.Describe();
    }

    private void Print(JsonObject status)
    {
        Say($"runtimeStatus: {(string?)status["runtimeStatus"]}");
        Say($"customStatus:  {Show(status["customStatus"])}");
        Say($"output:        {Show(status["output"])}");
        if (status["failureDetails"] is { } failureDetails)
        {
            Say($"failure:       {Show(failureDetails)}");
        }

        if (status["historyEvents"] is not JsonArray history)
        {
            return;
        }

        Say("history:");
        var shown = 0;
        foreach (var entry in history.OfType<JsonObject>())
        {
            var eventType = (string?)entry["eventType"];
            if (eventType is "OrchestratorStarted" or "OrchestratorCompleted")
            {
                continue;
            }

            if (++shown > HistoryLines)
            {
                Say($"  … {history.Count} events in all");
                break;
            }

            var time = DateTimeOffset.TryParse((string?)entry["timestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at.ToUniversalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)
                : "            ";
            var detail = entry["name"] is { } name ? Show(name)
                : entry["fireAt"] is { } fireAt ? $"fires at {Show(fireAt)}"
                : entry["status"] is { } finished ? Show(finished)
                : string.Empty;
            Say($"  {time}  {eventType,-26} {detail}");
        }
    }

    private void PrintNotifications(JsonObject status)
    {
        var notifications = FlowNotifications.FromHistory(status["historyEvents"] as JsonArray);
        Say($"notifications the flow sent ({notifications.Count}, read from its history; locally they are also on the Azurite storage queue named after each topic):");
        foreach (var n in notifications)
        {
            var tries = n.Tries > 1 ? string.Create(CultureInfo.InvariantCulture, $", {n.Tries} tries") : string.Empty;
            Say($"  {n.Topic} · {n.Subject} · {n.Status}{tries} · id {n.MessageId}");
            Say($"    properties: {Show(n.Properties)}");
            Say($"    body:       {Show(n.Body)}");
        }
    }

    private void Say(string line)
    {
        lock (output)
        {
            output.WriteLine($"[demo] {line}");
        }
    }
}
