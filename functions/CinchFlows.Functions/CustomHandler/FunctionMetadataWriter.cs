using System.Text.Json;
using CinchFlows.Functions.Callbacks;

namespace CinchFlows.Functions.CustomHandler;

/// <summary>Writes one <c>{Name}/function.json</c> per declared function into the app folder the host loads.</summary>
internal static class FunctionMetadataWriter
{
    /// <summary>The command-line verb: <c>CinchFlows.Functions write-functions &lt;folder&gt;</c>.</summary>
    public const string Verb = "write-functions";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the function folders of <paramref name="functions"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(string appFolder, IReadOnlyList<FunctionDeclaration> functions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appFolder);
        ArgumentNullException.ThrowIfNull(functions);
        var duplicates = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException($"Function names must be unique: {string.Join(", ", duplicates)}.");
        }

        var written = new List<string>();
        foreach (var function in functions)
        {
            var folder = Path.Combine(appFolder, function.Name);
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "function.json");
            File.WriteAllText(path, function.ToFunctionJson().ToJsonString(Indented) + "\n");
            written.Add(path);
        }

        return written;
    }

    /// <summary>
    /// Runs the verb when <paramref name="args"/> ask for it: reads the app's configuration (appsettings.json,
    /// environment) for the task hub, queue names and sweep interval, and writes the function folders. False otherwise.
    /// </summary>
    public static bool TryRun(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Length == 0 || args[0] != Verb)
        {
            return false;
        }

        if (args.Length != 2)
        {
            throw new ArgumentException($"Usage: CinchFlows.Functions {Verb} <app folder>");
        }

        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var callbacks = configuration.GetSection(CallbackRequestOptions.SectionName).Get<CallbackRequestOptions>() ?? new CallbackRequestOptions();
        foreach (var path in Write(args[1], CinchFlowsFunctions.All(callbacks)))
        {
            output.WriteLine(path);
        }

        return true;
    }
}
