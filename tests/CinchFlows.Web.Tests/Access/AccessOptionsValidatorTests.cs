using CinchFlows.Web.Access;
using Microsoft.Extensions.Hosting;
using Moq;

namespace CinchFlows.Web.Tests.Access;

public sealed class AccessOptionsValidatorTests
{
    [Fact]
    public void Validate_LongKeysWithKnownRoles_Succeeds() =>
        Assert.True(Validate("Production", ("ops-key-0123456789abcdef", "ops"), ("supervisor-key-0123456789", "supervisor")).Succeeded);

    [Fact]
    public void Validate_NoKeys_Succeeds() => Assert.True(Validate("Production").Succeeded);

    [Fact]
    public void Validate_ShortKeyOutsideDevelopment_Fails()
    {
        var result = Validate("Production", ("dev-ops-key", "ops"));

        Assert.True(result.Failed);
        Assert.Contains("at least 16 characters", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShortKeyInDevelopment_Succeeds() =>
        Assert.True(Validate("Development", ("dev-ops-key", "ops"), ("dev-supervisor-key", "supervisor")).Succeeded);

    [Theory]
    [InlineData("admin")]
    [InlineData("")]
    public void Validate_UnknownRole_Fails(string role) =>
        Assert.True(Validate("Development", ("ops-key-0123456789abcdef", role)).Failed);

    [Fact]
    public void Validate_EmptyKey_Fails() => Assert.True(Validate("Development", (string.Empty, "ops")).Failed);

    [Fact]
    public void Validate_SameKeyTwice_Fails()
    {
        var result = Validate("Production", ("ops-key-0123456789abcdef", "ops"), ("ops-key-0123456789abcdef", "supervisor"));

        Assert.True(result.Failed);
        Assert.Contains("twice", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnresolvedKeyVaultReference_Fails()
    {
        var result = Validate("Production", ("@Microsoft.KeyVault(VaultName=cinchflows-kv;SecretName=access-ops-key)", "ops"));

        Assert.True(result.Failed);
        Assert.Contains("unresolved Key Vault reference", result.FailureMessage, StringComparison.Ordinal);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string environment, params (string Key, string Role)[] keys)
    {
        var host = new Mock<IHostEnvironment>();
        host.SetupGet(h => h.EnvironmentName).Returns(environment);
        return new AccessOptionsValidator(host.Object).Validate(null, AccessKeyMatcherTests.Options(keys));
    }
}
