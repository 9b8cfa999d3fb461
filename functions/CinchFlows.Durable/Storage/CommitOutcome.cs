namespace CinchFlows.Durable.Storage;

/// <summary>Result of a commit: the new ETag, or a conflict (someone else changed or created the instance first).</summary>
public readonly record struct CommitOutcome(string? NewETag)
{
    /// <summary>The outcome for an ETag mismatch or an existing instance.</summary>
    public static CommitOutcome Conflict => default;

    /// <summary>True when the commit was written.</summary>
    public bool Succeeded => NewETag is not null;
}
