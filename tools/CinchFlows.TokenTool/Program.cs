using System.Text.Json;
using CinchFlows.TokenTool;

// scripts/token.sh --person alice --roles Supervisor[,Ops] [--minutes 480] [--settings path/to/appsettings.Development.json]
var person = "alice";
var roles = new List<string> { "Supervisor" };
var minutes = 480;
var settings = Path.Combine("functions", "CinchFlows.Standalone", "appsettings.Development.json");
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--person": person = Next(); break;
        case "--roles": roles = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; break;
        case "--minutes": minutes = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--settings": settings = Next(); break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Usage: token.sh --person alice --roles Supervisor[,Ops] [--minutes 480] [--settings file]");
            return 2;
    }
}

using var document = JsonDocument.Parse(File.ReadAllText(settings));
if (!document.RootElement.TryGetProperty("Identity", out var identity)
    || identity.GetProperty("SigningKey").GetString() is not { } key
    || identity.GetProperty("Issuer").GetString() is not { } issuer
    || identity.GetProperty("Audience").GetString() is not { } audience)
{
    Console.Error.WriteLine($"{settings} has no Identity:Issuer, Identity:Audience and Identity:SigningKey.");
    return 1;
}

Console.WriteLine(DevelopmentToken.Mint(person, roles, issuer, audience, key, TimeSpan.FromMinutes(minutes), DateTimeOffset.UtcNow));
return 0;
