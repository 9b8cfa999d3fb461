using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Durable.Hosting;

/// <summary>Returned by <c>AddDurableTask</c>: pick a store and whether this process listens to the queue itself.</summary>
public sealed class DurableTaskBuilder(IServiceCollection services)
{
    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; } = services;
}
