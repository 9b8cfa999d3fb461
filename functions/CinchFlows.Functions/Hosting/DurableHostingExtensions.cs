using CinchFlows.Durable.Hosting;
using CinchFlows.Durable.Storage.Azure;

namespace CinchFlows.Functions.Hosting;

/// <summary>Registers the durable runtime the way the standalone host runs it.</summary>
internal static class DurableHostingExtensions
{
    /// <summary>The configuration key that picks the store.</summary>
    public const string StoreKey = "Durable:Store";

    /// <summary>Adds the runtime with the app's flows plus <paramref name="registerTasks"/>, the configured store, and in-process queue listeners.</summary>
    public static WebApplicationBuilder AddDurableRuntime(this WebApplicationBuilder builder, Action<DurableTaskRegistry>? registerTasks)
    {
        // One registry for everything: the worker resolves a single DurableTaskRegistry, so a second AddDurableTask would
        // silently hide one set of tasks. Extra tasks join this call through registerTasks instead.
        if (builder.Services.Any(d => d.ServiceType == typeof(DurableTaskRegistry)))
        {
            throw new InvalidOperationException(
                "AddDurableTask was already called; register extra orchestrations and activities through CinchFlowsApp.Build's registerTasks.");
        }

        var durable = builder.Services.AddDurableTask(registry => registerTasks?.Invoke(registry));
        _ = ParseStoreKind(builder.Configuration[StoreKey]) switch
        {
            DurableStoreKind.InMemory => durable.UseInMemoryStore(),
            _ => durable.UseAzureStorage(),
        };

        // Standalone: this process polls the work queue and sweeps itself. Under the Functions host its queue and timer
        // triggers drive the worker instead (CustomHandler/).
        if (!CustomHandler.CustomHandlerMode.IsActive(builder.Configuration))
        {
            durable.AddQueueListener();
        }

        return builder;
    }

    /// <summary>Reads <c>Durable:Store</c>; empty means Azure Storage.</summary>
    /// <exception cref="InvalidOperationException">The value names no store.</exception>
    public static DurableStoreKind ParseStoreKind(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DurableStoreKind.AzureStorage;
        }

        return Enum.TryParse<DurableStoreKind>(value.Trim(), ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !char.IsAsciiDigit(value.Trim()[0])
            ? kind
            : throw new InvalidOperationException($"{StoreKey} must be '{nameof(DurableStoreKind.AzureStorage)}' or '{nameof(DurableStoreKind.InMemory)}', not '{value}'.");
    }
}
