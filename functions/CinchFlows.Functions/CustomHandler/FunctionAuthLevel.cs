namespace CinchFlows.Functions.CustomHandler;

/// <summary>The <c>authLevel</c> values of an HTTP trigger.</summary>
internal static class FunctionAuthLevel
{
    /// <summary>No function key: the request's own credential (a webhook signature) or none (health).</summary>
    public const string Anonymous = "anonymous";

    /// <summary>A function or host key (<c>x-functions-key</c>) on top of the app's own API key.</summary>
    public const string Function = "function";
}
