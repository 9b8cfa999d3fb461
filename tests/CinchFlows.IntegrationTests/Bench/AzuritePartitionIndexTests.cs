using System.Diagnostics;
using System.Text.Json;
using Azure.Data.Tables;
using CinchFlows.Bench;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Bench;

/// <summary>
/// The benchmark's <c>--azurite-partition-index</c> (bench/azurite-partition-index.js): Azurite that reads a query
/// naming one partition from that partition. It must answer every query exactly as Azurite does, and take the
/// partition's path only for a filter that is confined to that partition.
/// </summary>
[Collection(AzuriteCollection.Name)] // The fixture has installed the pinned Azurite (npm ci) both Azurites start from.
#pragma warning disable CS9113 // The fixture is there for its npm ci.
public sealed class AzuritePartitionIndexTests(AzuriteFixture azurite) : IDisposable
#pragma warning restore CS9113
{
    private readonly string logs = Directory.CreateTempSubdirectory("cinchflows-partition-index-").FullName;

    /// <summary>Filters of every shape the backend and the service send, and the ones the index must leave alone.</summary>
    private static readonly string[] Filters =
    [
        "PartitionKey eq 'call-1'",
        "PartitionKey eq 'call-1' and RowKey ge 'row-05'",
        "PartitionKey eq 'call-1' and (RowKey eq 'sentinel' or ExecutionId eq 'e-2')",
        "PartitionKey eq 'it''s' and RowKey lt 'row-10'",
        "PartitionKey eq 'call-1' and RowKey eq 'row-01' or PartitionKey eq 'call-2'",
        "PartitionKey eq 'call-1' and ExecutionId eq 'e-1' or(RowKey eq 'row-02')",
        "PartitionKey eq 'call-1' or PartitionKey eq 'call-3'",
        "RowKey eq 'sentinel'",
        "(PartitionKey eq 'call-2') and RowKey ge 'row-10'",
        "ExecutionId eq 'e-2' and PartitionKey eq 'call-2'",
        "PartitionKey ge 'call-2'",
        "PartitionKey eq 'nobody'",
    ];

    [Fact]
    public async Task Every_query_answers_the_same_with_the_index_as_without()
    {
        var root = RepositoryFolder.Root;
        await using var plain = await Azurite.StartAsync(root, Path.Combine(logs, "plain.log"), partitionIndex: false, CancellationToken.None);
        await using var indexed = await Azurite.StartAsync(root, Path.Combine(logs, "indexed.log"), partitionIndex: true, CancellationToken.None);
        var tables = new List<TableClient>();
        foreach (var account in new[] { plain, indexed })
        {
            var table = new TableClient(account.ConnectionString, "partitions");
            await table.CreateAsync();
            foreach (var partition in new[] { "call-1", "call-2", "call-3", "it's" })
            {
                await table.SubmitTransactionAsync(
                    Enumerable.Range(0, 25).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, i == 24 ? "sentinel" : $"row-{i:00}")
                    {
                        ["ExecutionId"] = $"e-{i % 3}",
                    })));
            }

            tables.Add(table);
        }

        foreach (var filter in Filters)
        {
            var answers = new List<string>();
            foreach (var table in tables)
            {
                // Four to a page, so continuation across pages is compared too.
                var rows = new List<string>();
                await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: 4).AsPages())
                {
                    rows.AddRange(page.Values.Select(e => $"{e.PartitionKey}/{e.RowKey}/{e.GetString("ExecutionId")}"));
                }

                answers.Add(string.Join(" ", rows));
            }

            Assert.True(filter.Contains("nobody", StringComparison.Ordinal) == (answers[0].Length == 0), $"{filter}: Azurite answered '{answers[0]}'");
            Assert.True(answers[0] == answers[1], $"{filter}:\n Azurite: {answers[0]}\n indexed: {answers[1]}");
        }
    }

    [Fact]
    public async Task Only_a_filter_confined_to_one_partition_reads_that_partition()
    {
        string?[] expected =
        [
            "call-1", "call-1", "call-1", "it's",
            null, null, null, null, null, null, null, "nobody",
        ];
        Assert.Equal(expected.Length, Filters.Length);

        var script = Path.Combine(RepositoryFolder.Root, "bench", "azurite-partition-index.js");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add("const { pinnedPartition } = require(process.argv[1]); process.stdout.write(JSON.stringify(JSON.parse(process.argv[2]).map(f => pinnedPartition(f) ?? null)));");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(JsonSerializer.Serialize(Filters));
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(node.ExitCode == 0, await stderr);

        var pinned = JsonSerializer.Deserialize<string?[]>(await stdout)!;
        Assert.Equal(expected, pinned);
    }

    public void Dispose() => Directory.Delete(logs, recursive: true);
}
