using System.Text;
using System.Text.Json;
using CinchFlows.Web.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CinchFlows.Web.Tests.Http;

public sealed class JsonBodyReaderTests
{
    [Theory]
    [InlineData("")]
    [InlineData("  \r\n ")]
    public async Task ReadAsync_EmptyBody_IsNull(string body)
    {
        var result = await JsonBodyReader.ReadAsync(Request(body), CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task ReadAsync_Json_IsTheValue()
    {
        var result = await JsonBodyReader.ReadAsync(Request("""{"approved":true}"""), CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.True(result.Value!.Value.GetProperty("approved").GetBoolean());
    }

    [Theory]
    [InlineData("{\"approved\":")]
    [InlineData("not json")]
    [InlineData("{} {}")]
    public async Task ReadAsync_MalformedJson_Is400(string body)
    {
        var result = await JsonBodyReader.ReadAsync(Request(body), CancellationToken.None);

        Assert.Equal(StatusCodes.Status400BadRequest, Assert.IsType<ProblemHttpResult>(result.Problem).StatusCode);
    }

    [Fact]
    public async Task ReadAsync_DeclaredLengthOverLimit_Is413WithoutReading()
    {
        var request = Request("{}");
        request.ContentLength = JsonBodyReader.MaxBodyBytes + 1;

        var result = await JsonBodyReader.ReadAsync(request, CancellationToken.None);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, Assert.IsType<ProblemHttpResult>(result.Problem).StatusCode);
    }

    [Fact]
    public async Task ReadAsync_StreamedBodyOverLimit_Is413()
    {
        var body = JsonSerializer.Serialize(new { text = new string('x', JsonBodyReader.MaxBodyBytes) });
        var request = Request(body);
        request.ContentLength = null;

        var result = await JsonBodyReader.ReadAsync(request, CancellationToken.None);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, Assert.IsType<ProblemHttpResult>(result.Problem).StatusCode);
    }

    [Fact]
    public async Task ReadAsync_BodyAtTheLimit_IsRead()
    {
        var body = JsonSerializer.Serialize(new string('x', JsonBodyReader.MaxBodyBytes - 2));

        var result = await JsonBodyReader.ReadAsync(Request(body), CancellationToken.None);

        Assert.True(result.Succeeded);
    }

    private static HttpRequest Request(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        return context.Request;
    }
}
