using Microsoft.DurableTask;

namespace CinchFlows.Web.Management;

/// <summary>The orchestrators the worker runs, by name, so a start for an unknown name is a 400 and not a flow that fails.</summary>
internal sealed class OrchestratorCatalog
{
    private readonly string[] names;

    /// <summary>Reads the names <paramref name="registerTasks"/> registers.</summary>
    public OrchestratorCatalog(Action<DurableTaskRegistry> registerTasks)
    {
        ArgumentNullException.ThrowIfNull(registerTasks);
        var registry = new DurableTaskRegistry();
        registerTasks(registry);
        names = [.. registry.GetOrchestrators().Select(o => o.Key.Name).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The registered names.</summary>
    public IReadOnlyList<string> Names => names;

    /// <summary>The registered name equal to <paramref name="name"/>, exact case first; null when none is.</summary>
    public string? Find(string name) =>
        names.FirstOrDefault(n => string.Equals(n, name, StringComparison.Ordinal))
        ?? names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
}
