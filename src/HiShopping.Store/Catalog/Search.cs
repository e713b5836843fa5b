using System.Text;

namespace HiShopping.Store.Catalog;

/// <summary>
/// What a goods keyword matches (docs/api.md says the same): the keyword is cut into words at anything that is not a
/// letter or a digit, and a goods matches when its title holds every word, in any order, as a whole word or as the
/// start of one — "case phone" finds "Phone Case", "head" finds "Headphones" but not "Forehead". Case and accents
/// do not matter ("cafe" finds "Café"). Titles are indexed by SQLite's FTS5 (unicode61 tokenizer), kept in step with
/// every goods write by triggers; on PostgreSQL by a <c>tsvector</c> of the unaccented title ('simple' configuration:
/// no stemming, no stop words), which its own parser cuts the same way but for a few forms it keeps whole as well
/// (hyphenated words, numbers with a point, e-mail addresses and URLs), so those also match as written.
/// </summary>
public static class Search
{
    /// <summary>The FTS5 query for a keyword: each word quoted and made a prefix; null when it has no word at all.</summary>
    public static string? Match(string keyword)
    {
        var match = new StringBuilder();
        foreach (var word in Words(keyword))
        {
            if (match.Length > 0) match.Append(' ');
            match.Append('"').Append(word).Append("\"*");
        }
        return match.Length == 0 ? null : match.ToString();
    }

    /// <summary>
    /// The words of a keyword lower-cased, when every one is plain ASCII letters and digits (whose folding is the same
    /// in FTS5's tokenizer and here); null otherwise, or when there is no word.
    /// </summary>
    public static IReadOnlyList<string>? AsciiTerms(string keyword)
    {
        var terms = Words(keyword).ToList();
        if (terms.Count == 0 || !terms.All(t => t.All(char.IsAsciiLetterOrDigit))) return null;
        return terms.ConvertAll(t => t.ToLowerInvariant());
    }

    /// <summary>
    /// The PostgreSQL <c>to_tsquery('simple', …)</c> text for a keyword: each word lower-cased, its accents dropped (as
    /// <c>unaccent</c> drops the title's) and made a prefix, all of them required; null when it has no word at all.
    /// </summary>
    public static string? TsQuery(string keyword)
    {
        var query = new StringBuilder();
        foreach (var word in Words(keyword))
        {
            var plain = new StringBuilder();
            foreach (var c in word.Normalize(NormalizationForm.FormD))
                if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark) plain.Append(char.ToLowerInvariant(c));
            if (plain.Length == 0) continue;
            if (query.Length > 0) query.Append(" & ");
            query.Append(plain).Append(":*");
        }
        return query.Length == 0 ? null : query.ToString();
    }

    /// <summary>The words of a keyword as the tokenizer cuts titles: runs of letters and digits (at most 16 of them).</summary>
    public static IEnumerable<string> Words(string keyword)
    {
        var count = 0;
        var word = new StringBuilder();
        foreach (var rune in (keyword + " ").EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                word.Append(rune.ToString());
                continue;
            }
            if (word.Length == 0) continue;
            yield return word.ToString();
            word.Clear();
            if (++count == 16) yield break;
        }
    }
}
