using CinchFlows.Flows.Hints;
using CinchFlows.Web.Hints;

namespace CinchFlows.Web.Tests.Hints;

/// <summary>Normalisation, inflection, negation, exceptions and configuration of the phrase matcher.</summary>
public sealed class PhraseMatcherTests
{
    private static readonly PhraseMatcher Default = new(DefaultLexicon.Phrases, DefaultLexicon.Exceptions, new HintOptions().NegationWindow);

    [Theory]
    [InlineData("My mother is on an OXYGEN concentrator!!", HintProtocol.MedicalEmergency)]
    [InlineData("my mom's  oxygen—it needs power", HintProtocol.MedicalEmergency)]
    [InlineData("He THREATENED me.", HintProtocol.PotentialRisk)]
    [InlineData("we're suing", HintProtocol.Legal)]
    [InlineData("Two lawyers, actually", HintProtocol.Legal)]
    [InlineData("I called the reporters", HintProtocol.Media)]
    [InlineData("café reporter", HintProtocol.Media)]
    public void Case_punctuation_and_inflections_are_normalised(string text, HintProtocol expected) =>
        Assert.Equal([expected], Default.Match(text));

    [Theory]
    [InlineData("No medical issues here.")]
    [InlineData("Nobody is sick.")]
    [InlineData("no one here is pregnant")]
    [InlineData("We don't have a lawyer.")]
    [InlineData("I'm not calling the news.")]
    public void A_negated_phrase_does_not_fire(string text) => Assert.Empty(Default.Match(text));

    [Fact]
    public void A_negation_stops_at_the_end_of_its_clause()
    {
        Assert.Equal([HintProtocol.MedicalEmergency], Default.Match("No, it's not the dryer. My dad is on oxygen."));
        Assert.Equal([HintProtocol.MedicalEmergency], Default.Match("It's not the money, but my dad is on oxygen."));
    }

    [Fact]
    public void A_phrase_that_starts_with_no_is_not_negated_by_itself() =>
        Assert.Equal([HintProtocol.MedicalEmergency], Default.Match("We have no heat and it's freezing."));

    [Theory]
    [InlineData("I'm sick of waiting.")]
    [InlineData("I hold power of attorney for her.")]
    [InlineData("Good news, the part arrived.")]
    public void An_exception_phrase_hides_a_key_word(string text) => Assert.Empty(Default.Match(text));

    [Fact]
    public void Both_parts_of_a_plus_entry_must_occur()
    {
        Assert.Empty(Default.Match("The furnace is making a noise."));
        Assert.Equal([HintProtocol.MedicalEmergency], Default.Match("The furnace is out and it is freezing."));
    }

    [Fact]
    public void Several_protocols_come_in_a_fixed_order() =>
        Assert.Equal([HintProtocol.MedicalEmergency, HintProtocol.Legal, HintProtocol.Media], Default.Match("My reporter friend and my lawyer know my mom is on dialysis"));

    [Fact]
    public void A_configured_lexicon_replaces_a_protocols_defaults_and_adds_to_others()
    {
        var options = new HintOptions();
        options.Lexicon["Legal"] = ["solicitor"];
        options.ExtraPhrases["media"] = ["podcast"];
        var matcher = new PhraseMatcher(options.EffectiveLexicon(), DefaultLexicon.Exceptions, options.NegationWindow);

        Assert.Equal([HintProtocol.Legal], matcher.Match("My solicitor will write to you."));
        Assert.Empty(matcher.Match("My lawyer will write to you."));
        Assert.Equal([HintProtocol.Media], matcher.Match("I host a podcast and this is going on it."));
        Assert.Equal([HintProtocol.Media], matcher.Match("I'm a reporter."));
    }

    [Fact]
    public void The_validator_refuses_an_unknown_protocol_and_an_empty_one()
    {
        var options = new HintOptions();
        options.Lexicon["Weather"] = ["rain"];
        options.Lexicon["Media"] = [" "];

        var result = new HintOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("'Weather' is not a protocol", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Media has no phrase", StringComparison.Ordinal));
        Assert.True(new HintOptionsValidator().Validate(null, new HintOptions()).Succeeded);
    }

    [Theory]
    [InlineData("threaten", "threatened", true)]
    [InlineData("sue", "suing", true)]
    [InlineData("flood*", "flooding", true)]
    [InlineData("baby", "babies", true)]
    [InlineData("news", "new", false)]
    [InlineData("stop", "stopped", true)]
    public void Inflections_extend_a_lexicon_word_forward_only(string pattern, string word, bool expected) =>
        Assert.Equal(expected, PhraseMatcher.WordMatches(pattern, word));
}
