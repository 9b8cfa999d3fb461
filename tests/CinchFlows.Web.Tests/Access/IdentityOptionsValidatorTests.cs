using CinchFlows.Web.Access;

namespace CinchFlows.Web.Tests.Access;

public sealed class IdentityOptionsValidatorTests
{
    private const string Key = "a-signing-key-of-at-least-32-characters";

    [Fact]
    public void NothingSet_IsValid_NoBearerTokens() =>
        Assert.True(new IdentityOptionsValidator().Validate(null, new IdentityOptions()).Succeeded);

    [Fact]
    public void EitherMode_Complete_IsValid()
    {
        Assert.True(new IdentityOptionsValidator().Validate(null, new IdentityOptions { Issuer = "https://local/", SigningKey = Key, Audience = "api://x" }).Succeeded);
        Assert.True(new IdentityOptionsValidator().Validate(null, new IdentityOptions { Authority = "https://login.microsoftonline.com/t/v2.0", Audience = "api://x" }).Succeeded);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/t/v2.0", "https://local/", Key, "api://x", "not both")]
    [InlineData(null, "https://local/", "too-short", "api://x", "at least 32")]
    [InlineData(null, null, Key, "api://x", "Issuer is required")]
    [InlineData(null, "https://local/", Key, null, "Audience is required")]
    [InlineData("http://login.example/", null, null, "api://x", "https")]
    public void IncompleteOrMixed_FailsAtStart(string? authority, string? issuer, string? key, string? audience, string expected)
    {
        var result = new IdentityOptionsValidator().Validate(null, new IdentityOptions { Authority = authority, Issuer = issuer, SigningKey = key, Audience = audience });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }
}
