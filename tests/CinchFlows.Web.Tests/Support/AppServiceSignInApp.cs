namespace CinchFlows.Web.Tests.Support;

/// <summary>The in-process app as behind App Service's built-in authentication: <c>Identity:AppServiceAuthentication</c> on.</summary>
public sealed class AppServiceSignInApp() : InProcessApp(new Dictionary<string, string?> { ["Identity:AppServiceAuthentication"] = "true" });
