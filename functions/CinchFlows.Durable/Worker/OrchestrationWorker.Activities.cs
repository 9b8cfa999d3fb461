using System.Text.Json;
using CinchFlows.Durable.History;
using CinchFlows.Durable.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Durable.Worker;

/// <summary>Running activities: in-process right after the commit, or from the queue.</summary>
public sealed partial class OrchestrationWorker
{
    private async Task RunLocalActivityAsync(WorkMessage request)
    {
        try
        {
            var result = await ExecuteActivityAsync(request, stopping.Token).ConfigureAwait(false);
            await DeliverLocallyAsync(result, stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            activitySlots.Release();
        }
    }

    private async Task RunQueuedActivityAsync(ReceivedMessage received)
    {
        try
        {
            // Runs even if this worker's cache says the task finished: the cache may be stale (a purged and restarted
            // instance reuses task ids), and an activity running twice is allowed where one never running is not.
            var result = await ExecuteActivityAsync(received.Message!, stopping.Token).ConfigureAwait(false);
            await DeliverLocallyAsync(result, stopping.Token).ConfigureAwait(false);
            await held.RemoveAsync(received).ConfigureAwait(false);
            await store.DeleteAsync(received, stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            await held.RemoveAsync(received).ConfigureAwait(false);
            await FailMessageAsync(received, ex, stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            await held.RemoveAsync(received).ConfigureAwait(false);
            activitySlots.Release();
        }
    }

    /// <summary>Steps the message's instance in this process; when that fails, sends the message through the queue for the usual retries.</summary>
    private async Task DeliverLocallyAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await StepAsync(message.InstanceId, [message], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            WorkerLog.LocalStepFailed(logger, ex, message.Id);
            await store.SendAsync(message, cancellationToken).ConfigureAwait(false);
            signal.Pulse();
        }
    }

    /// <summary>Runs an activity request and returns the result message (a failure is a result, not an exception).</summary>
    private async Task<WorkMessage> ExecuteActivityAsync(WorkMessage request, CancellationToken cancellationToken)
    {
        var scheduled = (TaskScheduledEvent)request.Event;
        using var span = DurableTracing.StartActivity(scheduled.Name, request);
        var resultId = $"{request.Id}:result";
        HistoryEvent outcome;
        if (!registry.Activities.TryGetValue(scheduled.Name, out var type))
        {
            outcome = new TaskFailedEvent(scheduled.TaskId, new TaskFailureDetails("ActivityNotFound", $"No activity named '{scheduled.Name}' is registered with this worker."));
            metrics.ActivityRun(scheduled.Name, succeeded: false);
        }
        else
        {
            try
            {
                var scope = services.CreateAsyncScope();
                await using (scope.ConfigureAwait(false))
                {
                    var activity = (ITaskActivity)scope.ServiceProvider.GetRequiredService(type);
                    var input = scheduled.Input is null ? null : JsonSerializer.Deserialize(scheduled.Input, activity.InputType, DurableJson.Options);
                    var context = new TaskActivityContext(scheduled.Name, request.InstanceId, scheduled.TaskId, cancellationToken);
                    var output = await activity.RunAsync(context, input).ConfigureAwait(false);
                    outcome = new TaskCompletedEvent(scheduled.TaskId, DurableJson.Serialize(output));
                    metrics.ActivityRun(scheduled.Name, succeeded: true);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
                outcome = new TaskFailedEvent(scheduled.TaskId, TaskFailureDetails.FromException(ex));
                metrics.ActivityRun(scheduled.Name, succeeded: false);
            }
        }

        var now = timeProvider.GetUtcNow();
        var result = DurableTracing.Stamp(new WorkMessage(resultId, WorkMessageKind.Orchestration, request.InstanceId, outcome with { Timestamp = now, MessageId = resultId })
        {
            ExecutionId = request.ExecutionId,
        });
        var length = QueueMessageSize.Base64Length(JsonSerializer.Serialize(result, DurableJson.Options));
        if (length > QueueMessageSize.MaxBase64Chars)
        {
            // A result that cannot travel would be lost and the activity run again and again: fail the call instead.
            var tooLarge = new TaskFailureDetails(nameof(PayloadTooLargeException), $"Activity '{scheduled.Name}' returned a result of {length} characters on the queue; at most {QueueMessageSize.MaxBase64Chars} fit. Return less, or store it elsewhere and return a reference.");
            result = result with { Event = new TaskFailedEvent(scheduled.TaskId, tooLarge) { Timestamp = now, MessageId = resultId } };
        }

        return result;
    }
}
