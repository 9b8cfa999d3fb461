namespace CinchFlows.Durable.Tests;

public sealed class DurableMetricsTests
{
    [Fact]
    public void Storage_requests_are_counted_in_total_and_per_component_with_the_runtime_as_the_default()
    {
        using var metrics = new DurableMetrics();

        metrics.StorageRequest("table", "POST");
        metrics.StorageRequest("queue", "GET");
        metrics.StorageRequest("table", "GET", "webhook-receipts");

        Assert.Equal(3, metrics.StorageRequests);
        Assert.Equal(2, metrics.StorageRequestsByComponent[DurableMetrics.RuntimeComponent]);
        Assert.Equal(1, metrics.StorageRequestsByComponent["webhook-receipts"]);
        Assert.Equal(2, metrics.StorageRequestsByComponent.Count);
    }
}
