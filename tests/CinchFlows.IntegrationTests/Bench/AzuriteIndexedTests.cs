using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using CinchFlows.Bench;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Bench;

/// <summary>
/// The benchmark's <c>--azurite-indexed</c> (bench/azurite-indexed.js): Azurite whose table queries read only their
/// partition, whose small batches take LokiJS's single-document path and whose lookups start from the narrowest
/// property. It must answer every table query and every queue request exactly as Azurite does, and take the
/// partition's path only for a filter that is confined to that partition.
/// </summary>
[Collection(AzuriteCollection.Name)] // The fixture has installed the pinned Azurite (npm ci) both Azurites start from.
#pragma warning disable CS9113 // The fixture is there for its npm ci.
public sealed class AzuriteIndexedTests(AzuriteFixture azurite) : IDisposable
#pragma warning restore CS9113
{
    private readonly string logs = Directory.CreateTempSubdirectory("cinchflows-azurite-indexed-").FullName;

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

    private static readonly string[] Partitions = ["call-1", "call-2", "call-3", "it's"];

    private static readonly string[] Texts = ["a", "b", "c"];

    [Fact]
    public async Task Every_query_answers_the_same_with_the_index_as_without()
    {
        var answers = await AnswersOfBothAsync(async connectionString =>
        {
            var table = new TableClient(connectionString, "partitions");
            await table.CreateAsync();
            foreach (var partition in Partitions)
            {
                await table.SubmitTransactionAsync(
                    Enumerable.Range(0, 25).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, i == 24 ? "sentinel" : $"row-{i:00}")
                    {
                        ["ExecutionId"] = $"e-{i % 3}",
                    })));
            }

            var byFilter = new List<string>();
            foreach (var filter in Filters)
            {
                // Four to a page, so continuation across pages is compared too.
                var rows = new List<string>();
                await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: 4).AsPages())
                {
                    rows.AddRange(page.Values.Select(e => $"{e.PartitionKey}/{e.RowKey}/{e.GetString("ExecutionId")}"));
                }

                byFilter.Add($"{filter}: {string.Join(" ", rows)}");
            }

            return byFilter;
        });

        foreach (var (plain, indexed, filter) in answers.Plain.Zip(answers.Indexed, Filters))
        {
            Assert.True(filter.Contains("nobody", StringComparison.Ordinal) == plain.EndsWith(": ", StringComparison.Ordinal), $"Azurite answered {plain}");
            Assert.True(plain == indexed, $"\n Azurite: {plain}\n indexed: {indexed}");
        }
    }

    [Fact]
    public async Task Queue_requests_answer_the_same_with_the_index_as_without()
    {
        var answers = await AnswersOfBothAsync(async connectionString =>
        {
            var queue = new QueueClient(connectionString, "control-00");
            await queue.CreateAsync();

            // Another queue's messages, which no request to the first one may see.
            var other = new QueueClient(connectionString, "control-01");
            await other.CreateAsync();
            await other.SendMessageAsync("other");
            await other.SendMessageAsync("other timer", visibilityTimeout: TimeSpan.FromHours(1));
            var steps = new List<string>();
            foreach (var text in Texts)
            {
                await queue.SendMessageAsync(text);
            }

            await queue.SendMessageAsync("timer", visibilityTimeout: TimeSpan.FromHours(1));
            var first = (await queue.ReceiveMessagesAsync(2, TimeSpan.FromMinutes(5))).Value;
            steps.Add("receive 2: " + string.Join(",", first.Select(m => m.MessageText)));
            steps.Add("receive 32: " + string.Join(",", (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value.Select(m => m.MessageText)));
            steps.Add("receive again: " + string.Join(",", (await queue.ReceiveMessagesAsync(32)).Value.Select(m => m.MessageText)));
            await queue.DeleteMessageAsync(first[0].MessageId, first[0].PopReceipt);
            await queue.UpdateMessageAsync(first[1].MessageId, first[1].PopReceipt, "b2", TimeSpan.Zero);
            steps.Add("peek: " + string.Join(",", (await queue.PeekMessagesAsync(32)).Value.Select(m => m.MessageText)));
            var updated = (await queue.ReceiveMessagesAsync(32)).Value;
            steps.Add("receive updated: " + string.Join(",", updated.Select(m => $"{m.MessageText}#{m.DequeueCount}")));
            await queue.DeleteMessageAsync(updated[0].MessageId, updated[0].PopReceipt);
            steps.Add("count: " + (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

            // An expired message is removed by the next receive (Azurite removes the expired on every receive).
            await queue.SendMessageAsync("short", timeToLive: TimeSpan.FromSeconds(1));
            steps.Add("with a short one: " + (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
            await Eventually.WaitUntilAsync(
                async () =>
                {
                    await queue.ReceiveMessagesAsync(32);
                    return (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 2;
                },
                TimeSpan.FromSeconds(30),
                "the expired message removed");
            steps.Add("other: " + string.Join(",", (await other.ReceiveMessagesAsync(32)).Value.Select(m => m.MessageText)));
            return steps;
        });

        Assert.Equal("receive 2: a,b | receive 32: c | receive again:  | peek: b2 | receive updated: b2#2 | count: 2 | with a short one: 3 | other: other", string.Join(" | ", answers.Plain));
        Assert.Equal(answers.Plain, answers.Indexed);
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

        var script = Path.Combine(RepositoryFolder.Root, "bench", "azurite-indexed.js");
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

    // The same requests to Azurite as it ships and to the indexed one, each fresh; what each answered.
    private async Task<(IReadOnlyList<string> Plain, IReadOnlyList<string> Indexed)> AnswersOfBothAsync(Func<string, Task<List<string>>> requests, [CallerMemberName] string test = "")
    {
        var answers = new List<IReadOnlyList<string>>();
        foreach (var indexed in new[] { false, true })
        {
            await using var account = await Azurite.StartAsync(RepositoryFolder.Root, Path.Combine(logs, $"{test}-{(indexed ? "indexed" : "plain")}.log"), indexed, CancellationToken.None);
            answers.Add(await requests(account.ConnectionString));
        }

        return (answers[0], answers[1]);
    }
}
