namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>The checkout the tests run from: the folder holding <c>CinchFlows.sln</c> above the test binaries.</summary>
internal static class RepositoryFolder
{
    private static readonly Lazy<string> Found = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CinchFlows.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No CinchFlows.sln above {AppContext.BaseDirectory}.");
    });

    /// <summary>The repository's root folder.</summary>
    public static string Root => Found.Value;
}
