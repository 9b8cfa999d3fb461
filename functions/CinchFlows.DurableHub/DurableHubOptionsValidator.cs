using Microsoft.Extensions.Options;

namespace CinchFlows.DurableHub;

/// <summary>Checks what data annotations cannot: the intervals are positive, and the version is one the flows know.</summary>
internal sealed class DurableHubOptionsValidator(IReadOnlyList<string> knownVersions) : IValidateOptions<DurableHubOptions>
{
    public ValidateOptionsResult Validate(string? name, DurableHubOptions options)
    {
        var failures = new List<string>();
        if (knownVersions.Count > 0 && !knownVersions.Contains(options.Version ?? string.Empty, StringComparer.Ordinal))
        {
            // A version the code does not know would start flows that no branch of this build was written for.
            failures.Add($"Durable:Version must be one of the flow versions this build knows ({string.Join(", ", knownVersions)}), not '{options.Version}'.");
        }
        else if (knownVersions.Count == 0 && !string.IsNullOrWhiteSpace(options.Version))
        {
            failures.Add("Durable:Version is set, but this host's flows declare no versions.");
        }

        if (options.MaxQueuePollingInterval <= TimeSpan.Zero)
        {
            failures.Add($"Durable:MaxQueuePollingInterval must be positive, not {options.MaxQueuePollingInterval}.");
        }

        if (options.MessageVisibilityTimeout < TimeSpan.FromSeconds(10))
        {
            failures.Add($"Durable:MessageVisibilityTimeout must be at least 10 seconds, not {options.MessageVisibilityTimeout}.");
        }

        if (options.PartitionTableOperationTimeout < TimeSpan.FromSeconds(1) || options.PartitionTableOperationTimeout > TimeSpan.FromSeconds(20))
        {
            failures.Add($"Durable:PartitionTableOperationTimeout must be 1 to 20 seconds (a partition lease lasts 30), not {options.PartitionTableOperationTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
