namespace CinchFlows.Durable.Storage;

/// <summary>Filters for listing instances; every filter is optional.</summary>
public sealed record InstanceQuery
{
    /// <summary>Only instances in one of these statuses.</summary>
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? RuntimeStatus { get; init; }

    /// <summary>Only instances created at or after this time.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only instances created at or before this time.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Only instances whose id starts with this.</summary>
    public string? InstanceIdPrefix { get; init; }

    /// <summary>Page size. Default is 100.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Include input, output and custom status.</summary>
    public bool FetchInputsAndOutputs { get; init; } = true;
}
