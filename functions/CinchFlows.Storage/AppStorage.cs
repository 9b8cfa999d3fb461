using System.Collections.Concurrent;
using Azure.Storage.Queues;

namespace CinchFlows.Storage;

/// <summary>
/// The app's own tables and queues on its storage account (callback tasks, webhook receipts, escalation
/// acknowledgements, local notification queues), beside the ones the Durable Task engine keeps. Table names start with
/// the task hub's name, so two apps can share an account. Each component's requests are counted apart.
/// </summary>
public sealed class AppStorage(StorageAccountOptions account, StorageRequestCounter counter, string taskHubName)
{
    private readonly ConcurrentDictionary<string, QueueServiceClient> queues = new(StringComparer.Ordinal);

    /// <summary>The task hub's name, the prefix of the app's table names.</summary>
    public string TaskHubName { get; } = taskHubName;

    /// <summary>Where the requests are counted.</summary>
    public StorageRequestCounter Counter { get; } = counter;

    /// <summary>The app table <c>{TaskHubName}{suffix}</c>, created on first use; requests counted under <paramref name="component"/>.</summary>
    public LazyTable Table(string suffix, string component) =>
        new(StorageClients.CreateTableServiceClient(account, Counter, component).GetTableClient(TaskHubName + suffix));

    /// <summary>
    /// The engine's table <c>{TaskHubName}{suffix}</c> (e.g. <c>Instances</c>), never created here: the engine owns it.
    /// Requests counted under <paramref name="component"/>.
    /// </summary>
    public Azure.Data.Tables.TableClient EngineTable(string suffix, string component) =>
        StorageClients.CreateTableServiceClient(account, Counter, component).GetTableClient(TaskHubName + suffix);

    /// <summary>The queue service for <paramref name="component"/>; message bodies are sent as given (callers encode them).</summary>
    public QueueServiceClient Queues(string component) =>
        queues.GetOrAdd(component, c => StorageClients.CreateQueueServiceClient(account, Counter, c));
}
