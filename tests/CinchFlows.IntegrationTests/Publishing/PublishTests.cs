using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using CinchFlows.Functions.Callbacks;
using CinchFlows.Functions.CustomHandler;

namespace CinchFlows.IntegrationTests.Publishing;

/// <summary>
/// <c>./scripts/publish.sh</c> produces what a Flex Consumption app needs: host.json at the root, one folder per
/// function with its generated function.json, the self-contained linux-x64 executable, and the same as a zip.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PublishTests(PublishedApp published) : IClassFixture<PublishedApp>
{
    private string Root => published.Root;

    private string AppFolder => published.AppFolder;

    [Fact]
    public async Task The_folder_and_the_zip_hold_host_json_every_function_and_the_self_contained_executable()
    {
        // host.json at the root, as the repository has it.
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(PublishedApp.RepositoryRoot(), "host.json")), await File.ReadAllTextAsync(Path.Combine(AppFolder, "host.json")));

        // One folder per declared function, its function.json as the generator writes it.
        var functions = CinchFlowsFunctions.All(new CallbackRequestOptions());
        foreach (var function in functions)
        {
            var written = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppFolder, function.Name, "function.json")));
            Assert.True(JsonNode.DeepEquals(function.ToFunctionJson(), written), function.Name);
        }

        // The executable host.json names, runnable without an installed runtime (self-contained), and no dev settings.
        var executable = Path.Combine(AppFolder, "CinchFlows.Functions");
        Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute));
        Assert.True(File.Exists(Path.Combine(AppFolder, "libcoreclr.so")), "self-contained: the runtime is in the folder");
        Assert.False(File.Exists(Path.Combine(AppFolder, "appsettings.Development.json")));

        using var zip = ZipFile.OpenRead(AppFolder + ".zip");
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("host.json", entries);
        Assert.Contains("CinchFlows.Functions", entries);
        Assert.All(functions, f => Assert.Contains($"{f.Name}/function.json", entries));
        var packedExecutable = zip.GetEntry("CinchFlows.Functions")!;
        Assert.True(((packedExecutable.ExternalAttributes >> 16) & 0x40) != 0, "the zip keeps the executable bit");
    }

    [Fact]
    public async Task The_published_executable_runs_on_its_own()
    {
        var check = Path.Combine(Root, "check");
        var start = new ProcessStartInfo(Path.Combine(AppFolder, "CinchFlows.Functions"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(FunctionMetadataWriter.Verb);
        start.ArgumentList.Add(check);
        start.Environment.Remove("DOTNET_ROOT");
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Contains(Path.Combine(check, "CallbackRequests", "function.json"), output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(check, "TelephonyEvents", "function.json")));

        // The engine runs inside the process: no queue or timer function drives the flows any more.
        Assert.False(Directory.Exists(Path.Combine(check, "DurableWork")));
        Assert.False(Directory.Exists(Path.Combine(check, "DurableSweeper")));
    }
}
