using System.Text.Json.Nodes;
using CinchFlows.Functions.Callbacks;

namespace CinchFlows.Functions.Tests.CustomHandler;

/// <summary>host.json, which the publish step puts at the app's root, says what the custom handler needs.</summary>
public sealed class HostJsonTests
{
    private static readonly JsonObject HostJson = JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("host.json")))!.AsObject();

    [Fact]
    public void It_starts_the_executable_as_a_custom_handler_with_HTTP_forwarding()
    {
        Assert.Equal("2.0", (string?)HostJson["version"]);
        var handler = HostJson["customHandler"]!;
        Assert.Equal("CinchFlows.Functions", (string?)handler["description"]!["defaultExecutablePath"]);
        Assert.True((bool)handler["enableForwardingHttpRequest"]!);
    }

    [Fact]
    public void It_uses_extension_bundle_4()
    {
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", (string?)HostJson["extensionBundle"]!["id"]);
        Assert.Equal("[4.*, 5.0.0)", (string?)HostJson["extensionBundle"]!["version"]);
    }

    [Fact]
    public void Routes_are_declared_with_their_full_path()
    {
        // routePrefix "" lets a function own /ops as well as /api/…: each declared route carries its own prefix.
        Assert.Equal(string.Empty, (string?)HostJson["extensions"]!["http"]!["routePrefix"]);
    }

    [Fact]
    public void Queue_settings_pick_callback_requests_up_promptly_and_leave_poisoning_to_the_handler()
    {
        var queues = HostJson["extensions"]!["queues"]!;
        Assert.Equal("base64", (string?)queues["messageEncoding"]);
        Assert.True(TimeSpan.Parse((string)queues["maxPollingInterval"]!, System.Globalization.CultureInfo.InvariantCulture) <= TimeSpan.FromSeconds(2));

        // The handler poisons a callback request (with its reason) at its own MaxDequeueCount; the host's poison queue
        // is only the backstop for a process that keeps dying.
        var hostMax = (int)queues["maxDequeueCount"]!;
        Assert.True(hostMax > new CallbackRequestOptions().MaxDequeueCount + 1);
    }
}
