using System.Text.Json.Nodes;
using CinchFlows.Functions.Callbacks;
using CinchFlows.Functions.CustomHandler;

namespace CinchFlows.Functions.Tests.CustomHandler;

/// <summary>The generated function.json files have the documented shape of their binding kind.</summary>
public sealed class FunctionJsonTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cinchflows-functions-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void The_writer_writes_one_function_json_per_declared_function()
    {
        var functions = CinchFlowsFunctions.All(new CallbackRequestOptions());

        var written = FunctionMetadataWriter.Write(folder, functions);

        Assert.Equal(functions.Count, written.Count);
        Assert.Equal(functions.Select(f => f.Name).Order(), Directory.GetDirectories(folder).Select(Path.GetFileName).Order()!);
        Assert.All(functions, f => Assert.True(File.Exists(Path.Combine(folder, f.Name, "function.json")), f.Name));
    }

    [Fact]
    public void An_HTTP_function_has_an_httpTrigger_in_and_an_http_out_binding()
    {
        var json = Read("TelephonyEvents");

        var bindings = json["bindings"]!.AsArray();
        Assert.Equal(2, bindings.Count);
        var trigger = bindings[0]!.AsObject();
        Assert.Equal("httpTrigger", (string?)trigger["type"]);
        Assert.Equal("in", (string?)trigger["direction"]);
        Assert.Equal("req", (string?)trigger["name"]);
        Assert.Equal("anonymous", (string?)trigger["authLevel"]);
        Assert.Equal(["post"], trigger["methods"]!.AsArray().Select(m => (string?)m));
        Assert.Equal("api/telephony/events", (string?)trigger["route"]);
        var output = bindings[1]!.AsObject();
        Assert.Equal(("http", "out", "res"), ((string?)output["type"], (string?)output["direction"], (string?)output["name"]));
    }

    [Fact]
    public void The_management_and_supervisor_API_need_a_function_key_while_webhooks_and_health_do_not()
    {
        Assert.Equal("function", (string?)Read("GetInstance")["bindings"]![0]!["authLevel"]);
        Assert.Equal("function", (string?)Read("ClaimCallback")["bindings"]![0]!["authLevel"]);
        Assert.Equal("anonymous", (string?)Read("Health")["bindings"]![0]!["authLevel"]);
    }

    [Fact]
    public void A_queue_function_has_a_queueTrigger_on_the_app_storage_connection()
    {
        var json = Read(CinchFlowsFunctions.CallbackRequests);

        var trigger = Assert.Single(json["bindings"]!.AsArray())!.AsObject();
        Assert.Equal("queueTrigger", (string?)trigger["type"]);
        Assert.Equal("in", (string?)trigger["direction"]);
        Assert.Equal("message", (string?)trigger["name"]);
        Assert.Equal("callback-requests", (string?)trigger["queueName"]);
        Assert.Equal("AzureWebJobsStorage", (string?)trigger["connection"]);
    }

    [Fact]
    public void The_verb_runs_only_when_asked()
    {
        using var output = new StringWriter();

        Assert.False(FunctionMetadataWriter.TryRun(["--urls", "http://127.0.0.1:1"], output));
        Assert.True(FunctionMetadataWriter.TryRun([FunctionMetadataWriter.Verb, folder], output));
        Assert.Contains(Path.Combine(folder, CinchFlowsFunctions.CallbackRequests, "function.json"), output.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => FunctionMetadataWriter.TryRun([FunctionMetadataWriter.Verb], output));
    }

    private JsonObject Read(string function)
    {
        FunctionMetadataWriter.Write(folder, CinchFlowsFunctions.All(new CallbackRequestOptions()));
        return JsonNode.Parse(File.ReadAllText(Path.Combine(folder, function, "function.json")))!.AsObject();
    }
}
