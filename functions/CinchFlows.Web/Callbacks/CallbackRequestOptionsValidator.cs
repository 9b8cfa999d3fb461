using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Callbacks;

/// <summary>Checks that the queue name (and so its poison queue's) is a valid storage queue name and that counts and times are in range.</summary>
internal sealed class CallbackRequestOptionsValidator : IValidateOptions<CallbackRequestOptions>
{
    /// <summary>Longest queue name: storage allows 63, and the poison queue adds <c>-poison</c>.</summary>
    public const int MaxQueueNameLength = 63 - 7;

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, CallbackRequestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = CallbackRequestOptions.SectionName;
        var failures = new List<string>();
        if (!IsQueueName(options.QueueName))
        {
            failures.Add($"{section}:{nameof(CallbackRequestOptions.QueueName)} must be 3-{MaxQueueNameLength} lowercase letters, digits and single hyphens, starting and ending with a letter or digit.");
        }

        if (options.MaxDequeueCount is < 1 or > 100)
        {
            failures.Add($"{section}:{nameof(CallbackRequestOptions.MaxDequeueCount)} must be 1-100.");
        }

        if (options.BatchSize is < 1 or > 32)
        {
            failures.Add($"{section}:{nameof(CallbackRequestOptions.BatchSize)} must be 1-32.");
        }

        if (options.VisibilityTimeout < TimeSpan.FromSeconds(1) || options.VisibilityTimeout > TimeSpan.FromDays(7))
        {
            failures.Add($"{section}:{nameof(CallbackRequestOptions.VisibilityTimeout)} must be 1 second to 7 days.");
        }

        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromDays(7))
        {
            failures.Add($"{section}:{nameof(CallbackRequestOptions.RetryDelay)} must be 0 to 7 days.");
        }

        if (options.MinPollingInterval <= TimeSpan.Zero || options.MaxPollingInterval < options.MinPollingInterval)
        {
            failures.Add($"{section}:{nameof(CallbackRequestOptions.MinPollingInterval)} must be positive and at most {nameof(CallbackRequestOptions.MaxPollingInterval)}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsQueueName(string? queue) =>
        queue is { Length: >= 3 and <= MaxQueueNameLength }
        && queue.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && queue[0] != '-' && queue[^1] != '-'
        && !queue.Contains("--", StringComparison.Ordinal);
}
