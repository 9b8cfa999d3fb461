using System.Text;
using CinchFlows.DurableHub;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>
/// Which control queue (partition) the Azure Storage backend puts an instance's messages on: FNV-1a of the instance
/// id's UTF-8 bytes, modulo the partition count (DurableTask.AzureStorage's <c>GetControlQueueAsync</c>). A stall report
/// names it beside each still flow: flows still on one queue point at the worker that held it (its
/// <c>DurableTask.AzureStorage.Partitions</c> log lines say which); flows still on every queue point at storage.
/// </summary>
internal static class ControlQueues
{
    private static readonly int Partitions = new DurableHubOptions().PartitionCount;

    public static string Of(string instanceId, int partitions = 0)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(instanceId))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return $"control-{hash % (uint)(partitions > 0 ? partitions : Partitions):00}";
    }
}
