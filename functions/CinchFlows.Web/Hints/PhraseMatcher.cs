using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using CinchFlows.Flows.Hints;

namespace CinchFlows.Web.Hints;

/// <summary>
/// Finds the protocols a transcript segment points to, in memory and keeping nothing: the text is normalised (case,
/// punctuation, apostrophes), split into clauses and words, and each lexicon phrase is looked for with simple inflections.
/// A phrase preceded in its clause by a negation ("no", "not", "nobody", "don't"…, within a few words) does not count,
/// nor does one overlapping an exception ("sick of waiting", "power of attorney").
/// </summary>
internal sealed class PhraseMatcher
{
    /// <summary>Words that negate a phrase that follows them in the same clause.</summary>
    private static readonly FrozenSet<string> NegationCues = FrozenSet.Create(
        StringComparer.Ordinal,
        "no", "not", "never", "nobody", "none", "nothing", "neither", "nor", "noone", "dont", "doesnt", "didnt", "isnt", "arent",
        "wasnt", "werent", "havent", "hasnt", "hadnt", "wont", "aint", "nt");

    /// <summary>Words that end a clause: a negation before them does not reach past them.</summary>
    private static readonly FrozenSet<string> ClauseBreaks = FrozenSet.Create(
        StringComparer.Ordinal, "but", "however", "although", "though", "and", "so", "because", "except", "yet");

    /// <summary>The token standing for sentence punctuation; no pattern word can equal it.</summary>
    private const string Break = ".";

    private readonly List<(HintProtocol Protocol, Pattern Entry)> entries;
    private readonly List<Pattern> exceptions;
    private readonly int negationWindow;

    /// <summary>Builds the matcher from a lexicon, its exceptions and how many words back a negation reaches.</summary>
    public PhraseMatcher(IReadOnlyDictionary<HintProtocol, IReadOnlyList<string>> lexicon, IReadOnlyList<string> exceptionPhrases, int negationWindow)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        ArgumentNullException.ThrowIfNull(exceptionPhrases);
        entries = [.. lexicon.SelectMany(p => p.Value.Select(Pattern.Parse).OfType<Pattern>().Select(e => (p.Key, e)))];
        exceptions = [.. exceptionPhrases.Select(Pattern.Parse).OfType<Pattern>()];
        this.negationWindow = negationWindow;
    }

    /// <summary>The protocols <paramref name="text"/> points to, in <see cref="HintProtocols.All"/> order; empty when none.</summary>
    public IReadOnlyList<HintProtocol> Match(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = Tokenize(text);
        if (words.Count == 0)
        {
            return [];
        }

        var excluded = new bool[words.Count];
        foreach (var exception in exceptions)
        {
            foreach (var part in exception.Parts)
            {
                foreach (var start in Occurrences(part, words))
                {
                    Array.Fill(excluded, true, start, part.Length);
                }
            }
        }

        var found = new HashSet<HintProtocol>();
        foreach (var (protocol, entry) in entries)
        {
            if (!found.Contains(protocol) && entry.Parts.All(part => Occurrences(part, words).Any(start => Counts(part, start, words, excluded))))
            {
                found.Add(protocol);
            }
        }

        return [.. HintProtocols.All.Where(found.Contains)];
    }

    /// <summary>Lowercase words with apostrophes dropped (and, with <paramref name="keepStars"/>, <c>*</c> kept); <c>"."</c> marks sentence punctuation.</summary>
    internal static List<string> Tokenize(string text, bool keepStars = false)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var apostropheAt = -1;
        void Flush()
        {
            if (word.Length > 0)
            {
                // "nobody's" and "mom's" are "nobody" and "mom"; "don't" stays "dont".
                var w = word.ToString();
                words.Add(apostropheAt == w.Length - 1 && w.EndsWith('s') ? w[..^1] : w);
                word.Clear();
            }

            apostropheAt = -1;
        }

        foreach (var raw in text.Normalize(NormalizationForm.FormKD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(raw) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var c = char.ToLowerInvariant(raw);
            if (char.IsLetterOrDigit(c) || (keepStars && c == '*'))
            {
                word.Append(c);
            }
            else if (c is '\'' or '\u2019' or '\u2018')
            {
                apostropheAt = word.Length;
            }
            else
            {
                Flush();
                if (c is '.' or ',' or ';' or ':' or '!' or '?' or '\n' or '(' or ')' or '"' or '\u2014' or '\u2013')
                {
                    words.Add(Break);
                }
            }
        }

        Flush();
        return words;
    }

    private static IEnumerable<int> Occurrences(string[] part, List<string> words)
    {
        for (var start = 0; start + part.Length <= words.Count; start++)
        {
            var all = true;
            for (var i = 0; i < part.Length && all; i++)
            {
                all = WordMatches(part[i], words[start + i]);
            }

            if (all)
            {
                yield return start;
            }
        }
    }

    /// <summary>True when <paramref name="word"/> is <paramref name="pattern"/> or one of its simple inflections (or starts with it, for <c>word*</c>).</summary>
    internal static bool WordMatches(string pattern, string word)
    {
        if (pattern.EndsWith('*'))
        {
            return word.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal);
        }

        if (word == pattern)
        {
            return true;
        }

        if (!word.StartsWith(pattern[..^1], StringComparison.Ordinal))
        {
            return false;
        }

        var last = pattern[^1];
        var stem = pattern[..^1];
        return word == pattern + "s" || word == pattern + "es" || word == pattern + "ed" || word == pattern + "ing"
            || (last == 'e' && (word == pattern + "d" || word == stem + "ing"))
            || (last == 'y' && (word == stem + "ies" || word == stem + "ied"))
            || (pattern.Length >= 3 && !"aeiouwxy".Contains(last, StringComparison.Ordinal) && "aeiou".Contains(pattern[^2], StringComparison.Ordinal)
                && (word == pattern + last + "ed" || word == pattern + last + "ing"));
    }

    private bool Counts(string[] part, int start, List<string> words, bool[] excluded)
    {
        for (var i = start; i < start + part.Length; i++)
        {
            if (excluded[i])
            {
                return false;
            }
        }

        // A negation counts only before the phrase, in its clause, within the window ("no" in "no heat" is the phrase's own).
        for (var i = start - 1; i >= 0 && i >= start - negationWindow; i--)
        {
            var w = words[i];
            if (w == Break || ClauseBreaks.Contains(w))
            {
                return true;
            }

            if (NegationCues.Contains(w))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One lexicon entry: its parts (each a word sequence), all of which must occur.</summary>
    private sealed record Pattern(string[][] Parts)
    {
        public static Pattern? Parse(string phrase)
        {
            if (string.IsNullOrWhiteSpace(phrase))
            {
                return null;
            }

            var parts = phrase.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(p => Tokenize(p, keepStars: true).Where(w => w != Break && w != "*").ToArray())
                .Where(p => p.Length > 0)
                .ToArray();
            return parts.Length == 0 ? null : new Pattern(parts);
        }
    }
}
