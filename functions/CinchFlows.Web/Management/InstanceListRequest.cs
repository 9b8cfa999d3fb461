using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Management;

/// <summary>A parsed <c>GET /api/instances</c>: the filters, whether to show inputs, and the page to continue from.</summary>
internal sealed record InstanceListRequest(OrchestrationQuery Query, bool ShowInput, string? ContinuationToken);
