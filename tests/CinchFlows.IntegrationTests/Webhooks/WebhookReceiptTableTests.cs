using System.Net;
using System.Text;
using Azure.Data.Tables;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Web.Webhooks;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Webhooks;

/// <summary>Webhook receipts in the Azure Table <c>{TaskHubName}WebhookReceipts</c>: every instance of the app answers a redelivery the same way.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookReceiptTableTests(AzuriteFixture azurite)
{
    private const string Secret = "SECRET-CONDITION-severe-allergy";

    [Fact]
    public async Task A_redelivery_to_another_instance_gets_the_first_answer_and_changes_nothing()
    {
        var hub = azurite.NewTaskHub();
        await using var first = await TelephonyHostedApp.StartAsync(azurite.ConnectionString, hub);
        await using var second = await TelephonyHostedApp.StartAsync(azurite.ConnectionString, hub);
        var id = "msg_" + Guid.NewGuid().ToString("N");

        using var original = await first.PostWebhookAsync(Supervisor("call-a"), id);
        using var redelivered = await second.PostWebhookAsync(Supervisor("call-b"), id);

        Assert.Equal(HttpStatusCode.Accepted, original.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, redelivered.StatusCode);
        var body = await original.Content.ReadAsStringAsync();
        Assert.Equal(body, await redelivered.Content.ReadAsStringAsync());
        Assert.Equal(original.Headers.Location, redelivered.Headers.Location);
        Assert.Contains(first.BaseAddress.Authority, body, StringComparison.Ordinal);
        Assert.NotNull(await first.Durable.GetInstanceAsync(global::CinchFlows.Flows.BusinessKeys.SupervisorCallback("call-a")));
        Assert.Null(await second.Durable.GetInstanceAsync(global::CinchFlows.Flows.BusinessKeys.SupervisorCallback("call-b")));
    }

    [Fact]
    public async Task The_receipt_row_holds_the_answer_under_an_escaped_key()
    {
        var hub = azurite.NewTaskHub();
        await using var app = await TelephonyHostedApp.StartAsync(azurite.ConnectionString, hub);
        var id = "msg/odd#id?" + Guid.NewGuid().ToString("N");

        using var response = await app.PostWebhookAsync(Supervisor("call-row"), id);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var table = new TableClient(azurite.ConnectionString, hub + "WebhookReceipts");
        var row = (await table.GetEntityAsync<TableEntity>(TableWebhookReceiptStore.PartitionKeyOf(id), TableWebhookReceiptStore.RowKeyOf(id))).Value;
        Assert.Equal(id, row.GetString("WebhookId"));
        Assert.Equal(202, row.GetInt32("StatusCode"));
        Assert.Equal(await response.Content.ReadAsStringAsync(), row.GetString("Body"));
        Assert.Equal(response.Headers.Location?.ToString(), row.GetString("Location"));
        Assert.NotNull(row.GetDateTimeOffset("ReceivedTime"));
    }

    [Theory]
    [InlineData('!')]
    [InlineData('~')]
    public async Task The_longest_allowed_id_made_of_escaped_characters_is_kept_and_redelivery_is_recognised(char character)
    {
        // 256 characters that each take five in an escaped key would pass the 1 KiB limit of table keys: hashed instead.
        var hub = azurite.NewTaskHub();
        await using var app = await TelephonyHostedApp.StartAsync(azurite.ConnectionString, hub);
        var id = new string(character, 256);
        var call = "call-long-" + (int)character;

        using var first = await app.PostWebhookAsync(Supervisor(call), id);
        using var again = await app.PostWebhookAsync(Supervisor(call + "-other"), id);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.StartsWith("h~", TableWebhookReceiptStore.RowKeyOf(id), StringComparison.Ordinal);
        Assert.Null(await app.Durable.GetInstanceAsync(global::CinchFlows.Flows.BusinessKeys.SupervisorCallback(call + "-other")));
    }

    [Fact]
    public async Task Medical_free_text_is_in_no_table_and_the_accepted_flag_only_holds_ids()
    {
        var hub = azurite.NewTaskHub();
        await using var app = await TelephonyHostedApp.StartAsync(azurite.ConnectionString, hub);

        using var refused = await app.PostWebhookAsync(
            TelephonyHostedApp.Event(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-med", agentId = "agent-1", customerId = "cust-1", condition = Secret }),
            "msg_" + Guid.NewGuid().ToString("N"));
        using var accepted = await app.PostWebhookAsync(
            TelephonyHostedApp.Event(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-med", agentId = "agent-1", customerId = "cust-1" }),
            "msg_" + Guid.NewGuid().ToString("N"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.DoesNotContain(Secret, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var instance = await app.Durable.GetInstanceAsync("medical-call-med", getInputsAndOutputs: true);
        Assert.Equal(new MedicalEmergencyTransferInput("call-med", "agent-1", "cust-1", null), instance!.ReadInputAs<MedicalEmergencyTransferInput>());
        var everything = await DumpTablesAsync(hub);
        Assert.Contains("call-med", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, everything, StringComparison.Ordinal);
    }

    private static string Supervisor(string callId) =>
        TelephonyHostedApp.Event(TelephonyEventTypes.SupervisorRequested, new { callId, agentId = "agent-1", customerId = "cust-1", supervisorAvailable = false });

    private async Task<string> DumpTablesAsync(string hub)
    {
        var service = new TableServiceClient(azurite.ConnectionString);
        var dump = new StringBuilder();
        await foreach (var table in service.QueryAsync($"TableName ge '{hub}' and TableName lt '{hub}~'"))
        {
            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                foreach (var (key, value) in entity)
                {
                    dump.Append(table.Name).Append(' ').Append(key).Append('=').Append(value).AppendLine();
                }
            }
        }

        return dump.ToString();
    }
}
