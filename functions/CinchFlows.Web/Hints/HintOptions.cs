using System.ComponentModel.DataAnnotations;
using CinchFlows.Flows.Hints;

namespace CinchFlows.Web.Hints;

/// <summary>Settings of live-transcript hints (configuration section <c>Hints</c>; docs/flows.md, "Live-transcript hints").</summary>
internal sealed class HintOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Hints";

    /// <summary>Whether transcript segments are listened to at all; when false they are answered 202 and ignored. Default is true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Phrases per protocol (keys <c>MedicalEmergency</c>, <c>PotentialRisk</c>, <c>Legal</c>, <c>Media</c>) that replace the
    /// default phrases of that protocol. Default is empty: every protocol uses <see cref="DefaultLexicon"/>.
    /// </summary>
    public Dictionary<string, List<string>> Lexicon { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Phrases per protocol added to that protocol's phrases (default or replaced). Default is empty.</summary>
    public Dictionary<string, List<string>> ExtraPhrases { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Exception phrases added to the default ones ("sick of", "power of attorney"…). Default is empty.</summary>
    public List<string> ExtraExceptions { get; set; } = [];

    /// <summary>How many words before a phrase a negation ("no", "not", "nobody"…) reaches, within its clause. Default is 5.</summary>
    [Range(0, 10)]
    public int NegationWindow { get; set; } = 5;

    /// <summary>The lexicon in use: the defaults, with the configured replacements and additions.</summary>
    public IReadOnlyDictionary<HintProtocol, IReadOnlyList<string>> EffectiveLexicon()
    {
        var lexicon = new Dictionary<HintProtocol, IReadOnlyList<string>>();
        foreach (var protocol in HintProtocols.All)
        {
            var phrases = new List<string>(Find(Lexicon, protocol) ?? DefaultLexicon.Phrases[protocol]);
            phrases.AddRange(Find(ExtraPhrases, protocol) ?? []);
            lexicon[protocol] = phrases;
        }

        return lexicon;
    }

    /// <summary>The configured protocol names that name no protocol.</summary>
    public IEnumerable<string> UnknownProtocols() =>
        Lexicon.Keys.Concat(ExtraPhrases.Keys).Where(k => HintProtocols.Parse(k) is null);

    private static List<string>? Find(Dictionary<string, List<string>> byName, HintProtocol protocol) =>
        byName.FirstOrDefault(p => HintProtocols.Parse(p.Key) == protocol).Value;
}
