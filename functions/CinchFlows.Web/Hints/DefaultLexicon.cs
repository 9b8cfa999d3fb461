using CinchFlows.Flows.Hints;

namespace CinchFlows.Web.Hints;

/// <summary>
/// The default lexicon (docs/flows.md, "Live-transcript hints"), grouped by the protocol each phrase points to. A phrase
/// is words matched in order, each also in its simple inflections (<c>s</c>, <c>es</c>, <c>ed</c>, <c>ing</c>, <c>ies</c>);
/// a word ending in <c>*</c> matches any word it starts; <c>A + B</c> needs both parts anywhere in the segment.
/// </summary>
internal static class DefaultLexicon
{
    /// <summary>Phrases per protocol.</summary>
    public static IReadOnlyDictionary<HintProtocol, IReadOnlyList<string>> Phrases { get; } = new Dictionary<HintProtocol, IReadOnlyList<string>>
    {
        [HintProtocol.MedicalEmergency] =
        [
            // Medical equipment that needs power or cooling.
            "oxygen", "concentrator", "dialysis", "cpap", "c pap", "bipap", "ventilator", "respirator", "nebulizer", "insulin",
            "feeding pump", "feeding tube", "medical equipment", "medical device", "medical machine", "life support", "hospital bed",
            "breathing machine", "breathing treatment", "refrigerat* + medic*", "fridge + medic*", "medic* + cold", "stair lift",

            // People at risk.
            "newborn", "new baby", "infant", "baby", "toddler", "elderly", "senior citizen", "aging parent", "aged parent", "grandmother", "grandma", "grandfather", "grandpa", "grandparent", "bedridden", "bed bound",
            "pregnant", "expecting a baby", "wheelchair", "disabled", "disability", "handicapped", "hospice", "chemo*", "cancer",
            "heart condition", "heart problem", "heart attack", "stroke", "seizure", "asthma", "copd", "cant breathe", "trouble breathing",
            "difficulty breathing", "hard to breathe", "medical emergency", "medical condition", "medical issue", "medical problem",
            "health condition", "health issue", "health problem", "sick", "very ill", "seriously ill", "terminally ill", "surgery",
            "just got out of the hospital", "in the hospital", "hospitali*", "diabet*", "mobility", "immune", "dementia", "alzheimer*",

            // Dangerous conditions.
            "no heat + freez*", "no heat + below zero", "no heat + cold", "heat* + below zero", "heat* + freez*", "furnace + freez*",
            "furnace + below zero", "furnace + cold", "boiler + freez*", "freezing in here", "freezing cold", "frozen pipe",
            "no air + hundred", "no air + 100", "no ac + hot", "no ac + heat", "air condition* + heat wave", "air condition* + 100",
            "air condition* + hundred", "ac + heat wave", "heat wave", "extreme heat", "heat stroke", "heatstroke", "heat exhaustion",
            "100 degrees", "hundred degrees", "triple digit*", "gas smell", "smell gas", "smell* + gas", "gas odor", "gas odour", "odor + gas", "gas leak", "leaking gas",
            "carbon monoxide", "flood*", "burst pipe", "pipe burst", "water everywhere", "sparks", "sparking", "electrical fire",
            "caught fire", "on fire", "smoke",
        ],
        [HintProtocol.PotentialRisk] =
        [
            "threat*", "harass*", "unsafe", "not safe", "dont feel safe", "do not feel safe", "feel safe + not", "scared", "afraid", "frightened",
            "fear for", "in danger", "police", "cops", "cop", "sheriff", "restraining order", "protective order", "stalk*", "assault*",
            "attack*", "abus*", "hurt me", "hurt you", "hurt someone", "going to hurt", "kill", "weapon", "gun", "knife", "violent", "violence",
            "intimidat*", "yelled at me", "screamed at me", "cursed at me", "swore at me", "inappropriate", "touched me", "grabbed me", "followed me",
            "pushed me", "punch*", "bodily harm", "get hurt", "safety", "know* where i live",
        ],
        [HintProtocol.Legal] =
        [
            "lawyer", "attorney", "lawsuit", "law suit", "legal action", "legal team", "legal department", "legal counsel",
            "sue you", "sue your", "sue cinch", "sue the", "sue them", "sue over", "sue for", "suing", "sued", "court", "litigation",
            "class action", "small claims", "law firm", "paralegal", "legal representation",
        ],
        [HintProtocol.Media] =
        [
            "reporter", "journalist", "news station", "news channel", "call* the news", "on the news", "to the news", "contact* the news",
            "local news", "evening news", "nightly news", "morning news", "news team", "newspaper", "to the press", "tell the press",
            "call* the press", "contact* the press", "the press hear*", "the press know*", "the press about", "for comment",
            "comment from your", "on the record", "media", "tv station", "television station", "consumer advocate", "investigative", "news crew", "news outlet", "press release",
            "news story", "story about",
        ],
    };

    /// <summary>
    /// Phrases that look like a key phrase but are not (a match inside or overlapping one does not count): everyday idioms and
    /// words with another meaning on a warranty call.
    /// </summary>
    public static IReadOnlyList<string> Exceptions { get; } =
    [
        "sick of", "sick and tired", "sick to death", "power of attorney", "good news", "bad news", "great news", "news is",
        "social media", "media room", "threat of rain", "smoke detector", "smoke alarm", "flood insurance", "flood light", "floodlight",
        "food court", "court yard", "courtyard", "basketball court", "tennis court", "killing me", "kill the power", "kill switch",
        "no threat", "safety inspection", "safety valve", "safety switch", "baby monitor", "cancer free", "scared the", "afraid so",
        "afraid that", "afraid i", "afraid we", "afraid it", "afraid the", "afraid you", "afraid this", "attack* me with questions",
        "oxygen sensor", "sue me", "story about how",
    ];
}
