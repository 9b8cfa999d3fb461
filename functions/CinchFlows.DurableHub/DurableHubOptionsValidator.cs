using Microsoft.Extensions.Options;

namespace CinchFlows.DurableHub;

/// <summary>Checks what data annotations cannot: the intervals are positive.</summary>
internal sealed class DurableHubOptionsValidator : IValidateOptions<DurableHubOptions>
{
    public ValidateOptionsResult Validate(string? name, DurableHubOptions options)
    {
        var failures = new List<string>();
        if (options.MaxQueuePollingInterval <= TimeSpan.Zero)
        {
            failures.Add($"Durable:MaxQueuePollingInterval must be positive, not {options.MaxQueuePollingInterval}.");
        }

        if (options.MessageVisibilityTimeout < TimeSpan.FromSeconds(10))
        {
            failures.Add($"Durable:MessageVisibilityTimeout must be at least 10 seconds, not {options.MessageVisibilityTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
