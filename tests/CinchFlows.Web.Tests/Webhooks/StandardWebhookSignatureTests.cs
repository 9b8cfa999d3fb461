using System.Text;
using CinchFlows.Web.Webhooks;

namespace CinchFlows.Web.Tests.Webhooks;

public sealed class StandardWebhookSignatureTests
{
    // The test vector published with the Standard Webhooks specification (docs/api.md §1).
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = "{\"test\": 2432232314}";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Sign_SpecVector_GivesTheSpecSignature()
    {
        var key = StandardWebhookSignature.DecodeSecret(SpecSecret);

        Assert.Equal(SpecSignature, StandardWebhookSignature.Sign(key, SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody)));
    }

    [Fact]
    public void Verify_SpecVector_IsValid()
    {
        var keys = new[] { StandardWebhookSignature.DecodeSecret(SpecSecret) };

        Assert.True(StandardWebhookSignature.Verify(keys, SpecId, "1614265330", Encoding.UTF8.GetBytes(SpecBody), SpecSignature));
    }

    [Theory]
    [InlineData("{\"test\": 2432232315}", SpecId, "1614265330")]
    [InlineData(SpecBody, "msg_other", "1614265330")]
    [InlineData(SpecBody, SpecId, "1614265331")]
    public void Verify_AnyChangedPart_IsInvalid(string body, string id, string timestamp)
    {
        var keys = new[] { StandardWebhookSignature.DecodeSecret(SpecSecret) };

        Assert.False(StandardWebhookSignature.Verify(keys, id, timestamp, Encoding.UTF8.GetBytes(body), SpecSignature));
    }

    [Theory]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,AAAA")]
    [InlineData("v1,bm90LXZhbGlk v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1a,xyz v2,abc v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    public void Verify_OneValidAmongSeveral_IsValid(string header)
    {
        var keys = new[] { StandardWebhookSignature.DecodeSecret(SpecSecret) };

        Assert.True(StandardWebhookSignature.Verify(keys, SpecId, "1614265330", Encoding.UTF8.GetBytes(SpecBody), header));
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1,")]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1,not base64!")]
    public void Verify_MalformedHeader_IsInvalid(string header)
    {
        var keys = new[] { StandardWebhookSignature.DecodeSecret(SpecSecret) };

        Assert.False(StandardWebhookSignature.Verify(keys, SpecId, "1614265330", Encoding.UTF8.GetBytes(SpecBody), header));
    }

    [Fact]
    public void Verify_RotatedSecrets_AcceptsEitherKey()
    {
        var oldKey = StandardWebhookSignature.DecodeSecret(SpecSecret);
        var newKey = StandardWebhookSignature.DecodeSecret("whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("a brand new secret key!!")));
        var body = Encoding.UTF8.GetBytes(SpecBody);
        var signedWithNew = StandardWebhookSignature.Sign(newKey, SpecId, SpecTimestamp, body);

        Assert.True(StandardWebhookSignature.Verify([oldKey, newKey], SpecId, "1614265330", body, signedWithNew));
        Assert.False(StandardWebhookSignature.Verify([oldKey], SpecId, "1614265330", body, signedWithNew));
    }

    [Fact]
    public void Verify_EightEntries_CostsOneMacPerKey()
    {
        var keys = new[] { StandardWebhookSignature.DecodeSecret(SpecSecret), StandardWebhookSignature.DecodeSecret("whsec_" + Convert.ToBase64String(new byte[24])) };
        var forged = string.Join(' ', Enumerable.Repeat("v1," + Convert.ToBase64String(new byte[32]), StandardWebhookSignature.MaxSignatures));
        var before = StandardWebhookSignature.MacsComputed;

        Assert.False(StandardWebhookSignature.Verify(keys, SpecId, "1614265330", Encoding.UTF8.GetBytes(SpecBody), forged));

        Assert.Equal(keys.Length, StandardWebhookSignature.MacsComputed - before);
    }

    [Fact]
    public void Verify_MoreEntriesThanTheCap_IsInvalidEvenWithAValidOne()
    {
        var keys = new[] { StandardWebhookSignature.DecodeSecret(SpecSecret) };
        var header = string.Join(' ', Enumerable.Repeat("v1,bm90LXZhbGlk", StandardWebhookSignature.MaxSignatures)) + " " + SpecSignature;
        var before = StandardWebhookSignature.MacsComputed;

        Assert.False(StandardWebhookSignature.Verify(keys, SpecId, "1614265330", Encoding.UTF8.GetBytes(SpecBody), header));
        Assert.Equal(0, StandardWebhookSignature.MacsComputed - before);
    }

    [Theory]
    [InlineData("whsec_")]
    [InlineData("whsec_***")]
    public void DecodeSecret_Malformed_Throws(string secret) =>
        Assert.Throws<FormatException>(() => StandardWebhookSignature.DecodeSecret(secret));
}
