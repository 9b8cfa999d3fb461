namespace CinchFlows.Web.Tests.Support;

/// <summary>API keys the in-process app is started with.</summary>
internal static class TestKeys
{
    public const string Ops = "unit-test-ops-key-0123456789";
    public const string Supervisor = "unit-test-supervisor-key-0123456789";
}
