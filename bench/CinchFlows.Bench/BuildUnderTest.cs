namespace CinchFlows.Bench;

/// <summary>
/// One build the harness measures: the service's dll, what the results call it, and the settings it runs with. A
/// side-by-side run measures two, the baseline (the build from before the engine change) and this build.
/// </summary>
internal sealed record BuildUnderTest(string Label, string DllPath, IReadOnlyDictionary<string, string> Settings, bool IsBaseline)
{
    /// <summary>What the results call the current build.</summary>
    public const string ThisBuild = "this build";
}
