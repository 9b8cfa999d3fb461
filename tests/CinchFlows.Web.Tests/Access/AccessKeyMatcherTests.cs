using CinchFlows.Web.Access;
using Microsoft.Extensions.Options;
using Moq;

namespace CinchFlows.Web.Tests.Access;

public sealed class AccessKeyMatcherTests
{
    [Fact]
    public void FindRole_KnownKeys_GiveTheirRoles()
    {
        var matcher = Matcher(("ops-key-0123456789abcdef", "ops"), ("supervisor-key-0123456789", "Supervisor"));

        Assert.Equal(AccessRoles.Ops, matcher.FindRole("ops-key-0123456789abcdef"));
        Assert.Equal(AccessRoles.Supervisor, matcher.FindRole("supervisor-key-0123456789"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ops-key-0123456789abcde")]
    [InlineData("ops-key-0123456789abcdefg")]
    [InlineData("OPS-KEY-0123456789ABCDEF")]
    public void FindRole_AnythingElse_IsNull(string? presented) =>
        Assert.Null(Matcher(("ops-key-0123456789abcdef", "ops")).FindRole(presented));

    [Fact]
    public void HasKeys_NoneConfigured_IsFalse() => Assert.False(Matcher().HasKeys);

    [Fact]
    public void FindRole_OptionsChange_UsesTheNewKeys()
    {
        var current = Options(("first-key-0123456789", "ops"));
        var monitor = new Mock<IOptionsMonitor<AccessOptions>>();
        monitor.SetupGet(m => m.CurrentValue).Returns(() => current);
        var matcher = new AccessKeyMatcher(monitor.Object);
        Assert.Equal(AccessRoles.Ops, matcher.FindRole("first-key-0123456789"));

        current = Options(("second-key-0123456789", "supervisor"));

        Assert.Null(matcher.FindRole("first-key-0123456789"));
        Assert.Equal(AccessRoles.Supervisor, matcher.FindRole("second-key-0123456789"));
    }

    internal static AccessOptions Options(params (string Key, string Role)[] keys)
    {
        var options = new AccessOptions();
        foreach (var (key, role) in keys)
        {
            options.Keys.Add(new AccessKey { Key = key, Role = role });
        }

        return options;
    }

    private static AccessKeyMatcher Matcher(params (string Key, string Role)[] keys)
    {
        var monitor = new Mock<IOptionsMonitor<AccessOptions>>();
        monitor.SetupGet(m => m.CurrentValue).Returns(Options(keys));
        return new AccessKeyMatcher(monitor.Object);
    }
}
