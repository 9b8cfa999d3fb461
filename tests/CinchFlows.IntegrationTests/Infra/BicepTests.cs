using System.Text.Json.Nodes;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.Web.Notifications;

namespace CinchFlows.IntegrationTests.Infra;

/// <summary>infra/ builds and lints clean with the Bicep CLI, every linter rule an error; the template keeps its promises.</summary>
public sealed class BicepTests
{
    private static readonly string InfraFolder = Path.Combine(RepositoryFolder.Root, "infra");

    // One build of main.bicep serves every test that reads the template (the CLI takes seconds to start).
    private static readonly Lazy<Task<JsonNode>> MainTemplate = new(BuildMainAsync);

    public static TheoryData<string> BicepFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(InfraFolder, "*.bicep", SearchOption.AllDirectories).Order())
        {
            data.Add(Path.GetRelativePath(InfraFolder, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Every_Bicep_file_builds_and_lints_without_a_single_diagnostic(string file)
    {
        var path = Path.Combine(InfraFolder, file);

        var lint = await BicepCli.RunAsync("lint", path);
        Assert.True(lint.ExitCode == 0 && lint.StandardError.Trim().Length == 0, $"bicep lint {file}:\n{lint.StandardError}{lint.StandardOutput}");
        var build = await BicepCli.RunAsync("build", path, "--stdout");
        Assert.True(build.ExitCode == 0 && build.StandardError.Trim().Length == 0, $"bicep build {file}:\n{build.StandardError}");
        Assert.NotNull(JsonNode.Parse(build.StandardOutput)!["resources"]);
    }

    [Fact]
    public void The_lint_configuration_makes_every_rule_an_error()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(InfraFolder, "bicepconfig.json")))!;
        var core = config["analyzers"]!["core"]!;

        Assert.True((bool)core["enabled"]!);
        var rules = core["rules"]!.AsObject();
        Assert.True(rules.Count >= 40, "every rule is listed");
        Assert.All(rules, rule => Assert.Equal("error", (string?)rule.Value!["level"]));
    }

    [Fact]
    public async Task A_lint_finding_fails_the_build()
    {
        // The check above can fail: an unused parameter is a finding, and the configuration makes it an error.
        var folder = Directory.CreateTempSubdirectory("cinchflows-bicep-").FullName;
        try
        {
            File.Copy(Path.Combine(InfraFolder, "bicepconfig.json"), Path.Combine(folder, "bicepconfig.json"));
            var file = Path.Combine(folder, "bad.bicep");
            await File.WriteAllTextAsync(file, "param unused string\n");

            var lint = await BicepCli.RunAsync("lint", file);

            Assert.NotEqual(0, lint.ExitCode);
            Assert.Contains("no-unused-params", lint.StandardError + lint.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_template_holds_no_secret_and_connects_by_identity()
    {
        var template = await MainTemplate.Value;
        var text = template.ToJsonString();

        Assert.DoesNotContain("listKeys", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedAccessKey", text, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", text, StringComparison.Ordinal);
        Assert.All(template["parameters"]!.AsObject(), p => Assert.NotEqual("securestring", (string?)p.Value!["type"]));
        Assert.Contains("AzureWebJobsStorage__accountName", text, StringComparison.Ordinal);
        Assert.Contains("Notifications__ServiceBus__FullyQualifiedNamespace", text, StringComparison.Ordinal);
        Assert.Contains("@Microsoft.KeyVault(VaultName=", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_app_runs_dotnet_isolated_10_with_the_storage_roles_Durable_Functions_needs_and_the_Service_Bus_sender_role()
    {
        var template = (await MainTemplate.Value).ToJsonString();

        Assert.Matches("\"runtime\":\\{\"name\":\"dotnet-isolated\",\"version\":\"10.0\"\\}", template);
        Assert.DoesNotContain("'custom'", template, StringComparison.Ordinal);

        // The task hub's blobs (leases), queues and tables through AzureWebJobsStorage; notifications send-only.
        string[] roles =
        [
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
            "69a216fc-b8fb-44d8-bc22-1f3c2552a0a9", // Azure Service Bus Data Sender
            "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
        ];
        Assert.All(roles, role => Assert.Contains(role, template, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_topics_are_the_app_topics_of_API_md_section_3_each_with_a_subscription()
    {
        var template = await MainTemplate.Value;

        var topics = template["parameters"]!["topics"]!["defaultValue"]!.AsArray();
        var names = new NotificationTopicNames();
        string[] expected = [names.AgentPrompts, names.HandoffNotes, names.ClaimsSeverity, names.Escalations, names.SupervisorNotifications, names.CallbackTasks, names.OpsAlerts];
        Assert.Equal(expected.Order(), topics.Select(t => (string)t!["topic"]!).Order());
        Assert.All(topics, t => Assert.NotEmpty(t!["subscriptions"]!.AsArray()));
    }

    [Fact]
    public async Task The_notification_settings_name_the_Service_Bus_transport_and_options_that_exist()
    {
        var text = (await MainTemplate.Value).ToJsonString();

        Assert.Contains("{\"name\":\"Notifications__Transport\",\"value\":\"" + NotificationOptions.ServiceBusTransport + "\"}", text, StringComparison.Ordinal);
        var names = System.Text.RegularExpressions.Regex.Matches(text, "\"name\":\"Notifications__([A-Za-z0-9_]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["ClientId", "FullyQualifiedNamespace", "Transport"], names.Select(n => n.Split("__")[^1]).Order());
        Assert.All(names, n => Assert.True(BindsTo(typeof(NotificationOptions), n.Split("__")), $"Notifications__{n} binds to no option"));
    }

    [Fact]
    public async Task Every_topic_drops_duplicate_message_ids_within_a_window()
    {
        var template = await MainTemplate.Value;

        // Symbolic resource names (language version 2.0): "resources" is an object.
        var topics = template["resources"]!.AsObject().Select(r => r.Value!).Where(r => (string?)r["type"] == "Microsoft.ServiceBus/namespaces/topics").ToList();
        var properties = Assert.Single(topics)["properties"]!;
        Assert.True((bool)properties["requiresDuplicateDetection"]!);
        Assert.Matches("^PT[0-9]+[HM]$", (string?)properties["duplicateDetectionHistoryTimeWindow"]);
    }

    [Fact]
    public async Task Every_app_setting_the_template_sets_is_in_local_settings_sample_json()
    {
        var template = (await MainTemplate.Value).ToJsonString();
        var sample = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryFolder.Root, "functions", "CinchFlows.Functions", "local.settings.sample.json")))!["Values"]!.AsObject();

        // The host's own settings (identity-based storage, telemetry) have their local form in AzureWebJobsStorage or none.
        var names = System.Text.RegularExpressions.Regex.Matches(template, "\"name\":\"([A-Za-z_]+__[A-Za-z0-9_]+)\"")
            .Select(m => m.Groups[1].Value)
            .Where(n => !n.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.True(names.Count >= 10, string.Join(", ", names));
        Assert.All(names, n => Assert.True(sample.ContainsKey(n), $"{n} is missing from local.settings.sample.json"));
        Assert.Equal("dotnet-isolated", (string?)sample["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", (string?)sample["AzureWebJobsStorage"]);
    }

    [Fact]
    public async Task People_sign_in_only_with_an_app_registration_through_App_Service_authentication_without_a_secret_or_token_store()
    {
        var template = await MainTemplate.Value;

        var parameters = template["parameters"]!;
        Assert.Equal(string.Empty, (string?)parameters["entraClientId"]!["defaultValue"]);
        Assert.Equal("[tenant().tenantId]", (string?)parameters["entraTenantId"]!["defaultValue"]);
        Assert.Equal("[parameters('entraClientId')]", (string?)parameters["entraAudience"]!["defaultValue"]);
        var variables = template["variables"]!;
        Assert.Equal("[not(empty(parameters('entraClientId')))]", (string?)variables["peopleSignIn"]);
        Assert.Equal("[format('{0}{1}/v2.0', environment().authentication.loginEndpoint, parameters('entraTenantId'))]", (string?)variables["entraAuthority"]);

        // App Service authentication, only with a client id: Entra, the ID token (no secret), no token store, anonymous requests let through.
        var auth = Assert.Single(Resources(template), r => (string?)r["type"] == "Microsoft.Web/sites/config");
        Assert.Equal("[variables('peopleSignIn')]", (string?)auth["condition"]);
        Assert.Contains("'authsettingsV2'", (string?)auth["name"], StringComparison.Ordinal);
        var properties = auth["properties"]!;
        Assert.True((bool)properties["platform"]!["enabled"]!);
        Assert.False((bool)properties["globalValidation"]!["requireAuthentication"]!);
        Assert.Equal("AllowAnonymous", (string?)properties["globalValidation"]!["unauthenticatedClientAction"]);
        var entra = properties["identityProviders"]!["azureActiveDirectory"]!;
        Assert.True((bool)entra["enabled"]!);
        Assert.Equal("[parameters('entraClientId')]", (string?)entra["registration"]!["clientId"]);
        Assert.Equal("[variables('entraAuthority')]", (string?)entra["registration"]!["openIdIssuer"]);
        Assert.DoesNotContain("secret", entra.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("[union(createArray(parameters('entraAudience')), createArray(format('api://{0}', parameters('entraClientId'))))]", (string?)entra["validation"]!["allowedAudiences"]);
        Assert.False((bool)properties["login"]!["tokenStore"]!["enabled"]!);
        Assert.True((bool)properties["httpSettings"]!["requireHttps"]!);

        // The app's side: the Identity settings, empty and off without a client id, each an option that exists.
        var site = Assert.Single(Resources(template), r => (string?)r["type"] == "Microsoft.Web/sites");
        var settings = site["properties"]!["siteConfig"]!["appSettings"]!.AsArray().ToDictionary(a => (string)a!["name"]!, a => (string?)a!["value"]);
        Assert.Equal("[if(variables('peopleSignIn'), variables('entraAuthority'), '')]", settings["Identity__Authority"]);
        Assert.Equal("[if(variables('peopleSignIn'), parameters('entraAudience'), '')]", settings["Identity__Audience"]);
        Assert.Equal("[if(variables('peopleSignIn'), 'true', 'false')]", settings["Identity__AppServiceAuthentication"]);
        Assert.All(settings.Keys.Where(n => n.StartsWith("Identity__", StringComparison.Ordinal)), n => Assert.True(BindsTo(typeof(CinchFlows.Web.Access.IdentityOptions), n.Split("__")[1..]), $"{n} binds to no option"));
    }

    // Symbolic resource names (language version 2.0): "resources" is an object.
    private static IEnumerable<JsonNode> Resources(JsonNode template) => template["resources"]!.AsObject().Select(r => r.Value!);

    private static bool BindsTo(Type type, IEnumerable<string> path)
    {
        foreach (var segment in path)
        {
            var property = type.GetProperty(segment);
            if (property is null)
            {
                return false;
            }

            type = property.PropertyType;
        }

        return true;
    }

    private static async Task<JsonNode> BuildMainAsync()
    {
        var build = await BicepCli.RunAsync("build", Path.Combine(InfraFolder, "main.bicep"), "--stdout");
        Assert.True(build.ExitCode == 0, build.StandardError);
        return JsonNode.Parse(build.StandardOutput)!;
    }
}
