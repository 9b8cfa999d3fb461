using System.Diagnostics;

namespace CinchFlows.Functions.Tests.Publishing;

/// <summary>One run of <c>./scripts/publish.sh</c> into a temporary folder, shared by the tests of the output.</summary>
public sealed class PublishedApp : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("cinchflows-publish-").FullName;

    public string AppFolder => Path.Combine(Root, "functionapp");

    public string ZipFile => AppFolder + ".zip";

    public static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CinchFlows.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("CinchFlows.sln not found.");
    }

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot(), "scripts", "publish.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AppFolder);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"publish.sh failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}
