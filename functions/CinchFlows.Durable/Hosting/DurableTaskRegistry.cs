namespace CinchFlows.Durable.Hosting;

/// <summary>The orchestrations and activities a worker can run, by name (the class name, so call sites use <c>nameof</c>).</summary>
public sealed class DurableTaskRegistry
{
    private readonly Dictionary<string, Type> orchestrators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Type> activities = new(StringComparer.Ordinal);

    /// <summary>Registered orchestrations by name.</summary>
    public IReadOnlyDictionary<string, Type> Orchestrators => orchestrators;

    /// <summary>Registered activities by name.</summary>
    public IReadOnlyDictionary<string, Type> Activities => activities;

    /// <summary>Registers an orchestration under its class name.</summary>
    public DurableTaskRegistry AddOrchestrator<TOrchestrator>()
        where TOrchestrator : class, ITaskOrchestrator
    {
        orchestrators[typeof(TOrchestrator).Name] = typeof(TOrchestrator);
        return this;
    }

    /// <summary>
    /// Registers an orchestration under a given name: for names that are part of a wire contract and so must not follow
    /// a class rename.
    /// </summary>
    public DurableTaskRegistry AddOrchestrator<TOrchestrator>(string name)
        where TOrchestrator : class, ITaskOrchestrator
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        orchestrators[name] = typeof(TOrchestrator);
        return this;
    }

    /// <summary>Registers an activity under its class name; it is constructed by dependency injection for each run.</summary>
    public DurableTaskRegistry AddActivity<TActivity>()
        where TActivity : class, ITaskActivity
    {
        activities[typeof(TActivity).Name] = typeof(TActivity);
        return this;
    }
}
