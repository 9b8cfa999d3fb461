using CinchFlows.Bench;

namespace CinchFlows.IntegrationTests.Bench;

/// <summary>Counting storage requests from Azurite's access log (no process started: the lines are Azurite's format).</summary>
public sealed class StorageRequestLogTests
{
    private const string Prefix = "127.0.0.1 - - [06/Dec/2026:17:24:26 +0000] ";

    [Theory]
    [InlineData("\"POST /devstoreaccount1/cinchflows-control-01/messages?numofmessages=32&visibilitytimeout=60 HTTP/1.1\" 200 -", "POST cinchflows-control-01/messages")]
    [InlineData("\"GET /devstoreaccount1/cinchflowsHistory()?$filter=PartitionKey%20eq%20%27x%27 HTTP/1.1\" 200 -", "GET cinchflowsHistory")]
    [InlineData("\"POST /devstoreaccount1/$batch HTTP/1.1\" 202 -", "POST $batch")]
    [InlineData("\"PUT /devstoreaccount1/cinchflows-leases/default/cinchflows-control-00?comp=lease HTTP/1.1\" 200 -", "PUT cinchflows-leases?comp=lease")]
    [InlineData("\"DELETE /devstoreaccount1/escalations/messages/abc?popreceipt=x HTTP/1.1\" 204 -", "DELETE escalations/messages")]
    [InlineData("\"GET /devstoreaccount1/Tables('x') HTTP/1.1\" 400 -", "GET Tables")]
    public void A_request_line_is_counted_by_method_and_resource(string request, string kind)
    {
        Assert.Equal(kind, StorageRequestLog.Kind(Prefix + request));
    }

    [Theory]
    [InlineData("Azurite Queue service is successfully listening at http://127.0.0.1:10001")]
    [InlineData("")]
    [InlineData("GET /devstoreaccount1/x HTTP/1.1")]
    public void A_line_that_records_no_request_is_not_counted(string line)
    {
        var log = new StorageRequestLog();

        log.Observe(line);

        Assert.Null(StorageRequestLog.Kind(line));
        Assert.Equal(0, log.Total);
    }

    [Fact]
    public async Task A_marker_snapshots_the_counts_before_its_own_line_and_is_not_counted()
    {
        var log = new StorageRequestLog();
        var marked = log.WhenMarked(StorageRequestLog.MarkerPrefix + "1");
        log.Observe(Prefix + "\"POST /devstoreaccount1/escalations/messages HTTP/1.1\" 201 -");
        log.Observe(Prefix + "\"POST /devstoreaccount1/escalations/messages HTTP/1.1\" 201 -");
        Assert.False(marked.IsCompleted);

        log.Observe(Prefix + $"\"GET /devstoreaccount1/{StorageRequestLog.MarkerPrefix}1 HTTP/1.1\" 403 -");
        log.Observe(Prefix + "\"GET /devstoreaccount1/cinchflowsInstances() HTTP/1.1\" 200 -");

        var snapshot = await marked;
        Assert.Equal(2, snapshot.Total);
        Assert.Equal(3, log.Total);
        Assert.Equal(2, log.Count("POST escalations/messages"));
        var now = log.Now();
        Assert.Equal(1, now.Since(snapshot));
        Assert.Equal([KeyValuePair.Create("GET cinchflowsInstances", 1L)], now.KindsSince(snapshot));
    }

    [Fact]
    public async Task A_marker_logged_before_anyone_waits_for_it_is_kept()
    {
        var log = new StorageRequestLog();
        log.Observe(Prefix + "\"HEAD /devstoreaccount1/c/b HTTP/1.1\" 404 -");
        log.Observe(Prefix + $"\"GET /devstoreaccount1/{StorageRequestLog.MarkerPrefix}7 HTTP/1.1\" 403 -");
        log.Observe(Prefix + "\"HEAD /devstoreaccount1/c/b HTTP/1.1\" 404 -");

        var snapshot = await log.WhenMarked(StorageRequestLog.MarkerPrefix + "7");

        Assert.Equal(1, snapshot.Total);
        Assert.Equal(2, log.Total);
    }
}
