using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;

namespace CinchFlows.Flows.Tests.Support;

/// <summary>
/// A Moq <see cref="DurableTaskClient"/> over a table of instances (id → name and status): look-ups and prefix
/// queries read the table, a schedule adds a Pending instance, and schedules and raised events are recorded.
/// </summary>
internal sealed class DurableClientMock
{
    private readonly ConcurrentDictionary<string, (string Name, OrchestrationRuntimeStatus Status)> instances = new(StringComparer.Ordinal);
    private readonly List<(TaskName Name, object? Input, StartOrchestrationOptions? Options)> scheduled = [];
    private readonly List<(string InstanceId, string EventName, object? Payload)> raised = [];

    public DurableClientMock()
    {
        Mock = new Mock<DurableTaskClient>(MockBehavior.Strict, "test");
        Mock.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), false, It.IsAny<CancellationToken>()))
            .Returns<string, bool, CancellationToken>((id, _, _) => Task.FromResult(Find(id)));
        Mock.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Returns<TaskName, object?, StartOrchestrationOptions?, CancellationToken>((name, input, options, _) =>
            {
                lock (scheduled)
                {
                    scheduled.Add((name, input, options));
                }

                instances.TryAdd(options!.InstanceId!, (name.Name, OrchestrationRuntimeStatus.Pending));
                return Task.FromResult(options.InstanceId!);
            });
        Mock.Setup(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Returns<string, string, object?, CancellationToken>((id, name, payload, _) =>
            {
                lock (raised)
                {
                    raised.Add((id, name, payload));
                }

                return Task.CompletedTask;
            });
        Mock.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery?>()))
            .Returns<OrchestrationQuery?>(query => Pageable.Create<OrchestrationMetadata>((_, _) => Task.FromResult(new Page<OrchestrationMetadata>(
                instances.Keys.Where(id => query?.InstanceIdPrefix is not { } prefix || id.StartsWith(prefix, StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal).Select(id => Find(id)!).ToList()))));
    }

    public Mock<DurableTaskClient> Mock { get; }

    public DurableTaskClient Object => Mock.Object;

    public IReadOnlyList<(TaskName Name, object? Input, StartOrchestrationOptions? Options)> Scheduled
    {
        get
        {
            lock (scheduled)
            {
                return [.. scheduled];
            }
        }
    }

    public IReadOnlyList<(string InstanceId, string EventName, object? Payload)> Raised
    {
        get
        {
            lock (raised)
            {
                return [.. raised];
            }
        }
    }

    public DurableClientMock With(string instanceId, string name, OrchestrationRuntimeStatus status)
    {
        instances[instanceId] = (name, status);
        return this;
    }

    private OrchestrationMetadata? Find(string instanceId) =>
        instances.TryGetValue(instanceId, out var instance) ? new OrchestrationMetadata(instance.Name, instanceId) { RuntimeStatus = instance.Status } : null;
}
