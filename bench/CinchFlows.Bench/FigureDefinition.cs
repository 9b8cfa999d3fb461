namespace CinchFlows.Bench;

/// <summary>
/// One figure of the issue: its title, target, the value keys it shows, the test of its target, and the phases its
/// values come from (<see cref="AnyPhase"/>: any one of them suffices, else all are needed).
/// </summary>
internal sealed record FigureDefinition(
    string Key, string Title, string Target, IReadOnlyList<string> ValueKeys, string Unit, Func<double[], bool> Meets, IReadOnlyList<string> Phases, bool AnyPhase = false)
{
    /// <summary>What a figure or value shows when its phase did not run.</summary>
    public const string NotMeasured = "not measured";

    /// <summary>The phases of <paramref name="run"/> this figure's values come from.</summary>
    public IReadOnlyList<string> PhasesIn(IReadOnlyList<string> run) => [.. Phases.Where(p => run.Contains(p, StringComparer.Ordinal))];

    /// <summary>True when <paramref name="run"/> includes what this figure needs.</summary>
    public bool MeasuredIn(IReadOnlyList<string> run) => AnyPhase ? PhasesIn(run).Count > 0 : PhasesIn(run).Count == Phases.Count;

    /// <summary>PASS or MISS; "not measured" when a value is missing (its phase did not run), n/a when one is not a number.</summary>
    public string Verdict(IReadOnlyDictionary<string, double> values)
    {
        if (!ValueKeys.All(values.ContainsKey))
        {
            return NotMeasured;
        }

        var measured = ValueKeys.Select(k => values[k]).ToArray();
        return measured.Any(double.IsNaN) ? "n/a" : Meets(measured) ? "PASS" : "MISS";
    }

    /// <summary>The values, joined with " / ", with the unit; "not measured" alone when none was.</summary>
    public string Shown(IReadOnlyDictionary<string, double> values)
    {
        if (!ValueKeys.Any(values.ContainsKey))
        {
            return NotMeasured;
        }

        var text = string.Join(" / ", ValueKeys.Select(k => values.TryGetValue(k, out var v) ? Figures.Format(v) : NotMeasured));
        return Unit.Length == 0 ? text : $"{text} {Unit}";
    }
}
