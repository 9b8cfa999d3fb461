using Microsoft.Extensions.Options;

namespace CinchFlows.Durable.Hosting;

/// <summary>Checks what data annotations cannot: the intervals are positive and the polling bounds are in order.</summary>
internal sealed class DurableTaskOptionsValidator : IValidateOptions<DurableTaskOptions>
{
    public ValidateOptionsResult Validate(string? name, DurableTaskOptions options)
    {
        var failures = new List<string>();
        Positive(options.MessageVisibilityTimeout, nameof(options.MessageVisibilityTimeout));
        Positive(options.MinPollingInterval, nameof(options.MinPollingInterval));
        Positive(options.MaxPollingInterval, nameof(options.MaxPollingInterval));
        Positive(options.SweepInterval, nameof(options.SweepInterval));
        Positive(options.OutboxRecoveryAfter, nameof(options.OutboxRecoveryAfter));
        if (options.MinPollingInterval > options.MaxPollingInterval)
        {
            failures.Add($"Durable:MinPollingInterval ({options.MinPollingInterval}) must not exceed Durable:MaxPollingInterval ({options.MaxPollingInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(TimeSpan value, string key)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"Durable:{key} must be positive, not {value}.");
            }
        }
    }
}
