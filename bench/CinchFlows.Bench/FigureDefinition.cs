namespace CinchFlows.Bench;

/// <summary>One figure of the issue: its title, target, the value keys it shows and the test of its target.</summary>
internal sealed record FigureDefinition(string Key, string Title, string Target, IReadOnlyList<string> ValueKeys, string Unit, Func<double[], bool> Meets)
{
    /// <summary>PASS, MISS, or n/a when a value is missing.</summary>
    public string Verdict(IReadOnlyDictionary<string, double> values)
    {
        var measured = ValueKeys.Select(k => values.TryGetValue(k, out var v) ? v : double.NaN).ToArray();
        return measured.Any(double.IsNaN) ? "n/a" : Meets(measured) ? "PASS" : "MISS";
    }

    /// <summary>The values, joined with " / ", with the unit.</summary>
    public string Shown(IReadOnlyDictionary<string, double> values)
    {
        var text = string.Join(" / ", ValueKeys.Select(k => Figures.Format(values.TryGetValue(k, out var v) ? v : double.NaN)));
        return Unit.Length == 0 ? text : $"{text} {Unit}";
    }
}
