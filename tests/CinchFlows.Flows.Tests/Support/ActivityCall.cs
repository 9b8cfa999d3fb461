using Microsoft.DurableTask;

namespace CinchFlows.Flows.Tests.Support;

/// <summary>One activity an orchestration called on the mocked context.</summary>
/// <param name="Name">The activity's name.</param>
/// <param name="Input">Its input, as the orchestration passed it.</param>
/// <param name="Options">Its task options (retry policy).</param>
/// <param name="At">The orchestration's time when it was called.</param>
internal sealed record ActivityCall(string Name, object? Input, TaskOptions? Options, DateTime At);
