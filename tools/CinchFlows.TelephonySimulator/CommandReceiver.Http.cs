using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CinchFlows.TelephonySimulator;

/// <summary>The <c>/commands</c> endpoint: checks, parses, dedupes, records and answers one delivery.</summary>
public sealed partial class CommandReceiver
{
    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task AnswerAsync(HttpContext context, int status, string outcome)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { outcome }), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var now = options.TimeProvider.GetUtcNow();
        var request = context.Request;
        string? webhookId = request.Headers[StandardWebhooks.IdHeader];
        if (!string.Equals(request.Path.Value, CommandsPath, StringComparison.Ordinal))
        {
            await RejectAsync(context, StatusCodes.Status404NotFound, "no such route", webhookId, now).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            await RejectAsync(context, StatusCodes.Status405MethodNotAllowed, "commands are POSTed", webhookId, now).ConfigureAwait(false);
            return;
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException ex)
        {
            await RejectAsync(context, ex.StatusCode, "body too large or malformed", webhookId, now).ConfigureAwait(false);
            return;
        }

        string? timestamp = request.Headers[StandardWebhooks.TimestampHeader];
        string? signature = request.Headers[StandardWebhooks.SignatureHeader];
        if (string.IsNullOrEmpty(webhookId) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            await RejectAsync(context, StatusCodes.Status401Unauthorized, "missing webhook headers", webhookId, now).ConfigureAwait(false);
            return;
        }

        if (!StandardWebhooks.IsFresh(timestamp, now, options.Tolerance))
        {
            await RejectAsync(context, StatusCodes.Status401Unauthorized, "timestamp outside the tolerance", webhookId, now).ConfigureAwait(false);
            return;
        }

        if (!StandardWebhooks.Verify(secrets, webhookId, timestamp, body, signature))
        {
            await RejectAsync(context, StatusCodes.Status401Unauthorized, "bad signature", webhookId, now).ConfigureAwait(false);
            return;
        }

        string? type, key;
        ReceivedCommand command;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            type = root.ValueKind == JsonValueKind.Object ? Text(root, "type") : null;
            key = root.ValueKind == JsonValueKind.Object ? Text(root, "idempotencyKey") : null;
            if (string.IsNullOrEmpty(type) || string.IsNullOrEmpty(key))
            {
                await RejectAsync(context, StatusCodes.Status400BadRequest, "a command needs a type and an idempotencyKey", webhookId, now).ConfigureAwait(false);
                return;
            }

            command = new ReceivedCommand
            {
                Sequence = 0,
                Type = type,
                IdempotencyKey = key,
                CallId = Text(root, "callId"),
                TargetExtension = Text(root, "targetExtension"),
                Note = Text(root, "note"),
                AgentId = Text(root, "agentId"),
                Script = Text(root, "script"),
                Protocol = Text(root, "protocol"),
                Hint = Text(root, "hint"),
                ServiceJobId = Text(root, "serviceJobId"),
                ProviderId = Text(root, "providerId"),
                Phone = Text(root, "phone"),
                RawJson = Encoding.UTF8.GetString(body),
                WebhookId = webhookId,
                ReceivedAt = now,
                Outcome = DeliveryOutcome.Acted,
            };
        }
        catch (JsonException)
        {
            await RejectAsync(context, StatusCodes.Status400BadRequest, "body is not JSON", webhookId, now).ConfigureAwait(false);
            return;
        }

        int status;
        var matched = new List<TaskCompletionSource<ReceivedCommand>>();
        lock (gate)
        {
            DeliveryOutcome outcome;
            if (failuresLeft > 0)
            {
                failuresLeft--;
                outcome = DeliveryOutcome.Failed;
                status = (int)failureStatus;
            }
            else if (actedKeys.Add(key))
            {
                outcome = DeliveryOutcome.Acted;
                status = StatusCodes.Status200OK;
            }
            else
            {
                duplicates++;
                outcome = DeliveryOutcome.Duplicate;
                status = StatusCodes.Status200OK;
            }

            command = command with { Sequence = received.Count + 1, Outcome = outcome };
            received.Add(command);
            if (outcome == DeliveryOutcome.Acted)
            {
                acted.Add(command);
                toDispatch.Writer.TryWrite(command);
            }

            foreach (var (predicate, completion) in waiters)
            {
                try
                {
                    if (predicate(command))
                    {
                        matched.Add(completion);
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    completion.TrySetException(ex);
                }
            }
        }

        foreach (var completion in matched)
        {
            completion.TrySetResult(command);
        }

        await AnswerAsync(context, status, command.Outcome switch
        {
            DeliveryOutcome.Acted => "acted",
            DeliveryOutcome.Duplicate => "duplicate: already acted on this idempotencyKey",
            _ => "failed on purpose (FailNext)",
        }).ConfigureAwait(false);
    }

    private async Task RejectAsync(HttpContext context, int status, string reason, string? webhookId, DateTimeOffset now)
    {
        lock (gate)
        {
            rejected.Add(new RejectedDelivery(status, reason, webhookId, now));
        }

        await AnswerAsync(context, status, reason).ConfigureAwait(false);
    }
}
