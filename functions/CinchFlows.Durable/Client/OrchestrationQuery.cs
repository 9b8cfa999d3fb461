namespace CinchFlows.Durable.Client;

/// <summary>Filters for listing instances (Durable's <c>OrchestrationQuery</c>).</summary>
public sealed record OrchestrationQuery
{
    /// <summary>Only instances in these statuses.</summary>
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }

    /// <summary>Created at or after.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Created at or before.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Instance id prefix.</summary>
    public string? InstanceIdPrefix { get; init; }

    /// <summary>Page size. Default is 100.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Include input, output and custom status. Default is true.</summary>
    public bool FetchInputsAndOutputs { get; init; } = true;
}
