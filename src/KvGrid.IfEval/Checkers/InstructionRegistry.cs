using System.Text.Json;
using KvGrid.IfEval.Text;

namespace KvGrid.IfEval.Checkers;

/// <summary>
/// The reference's INSTRUCTION_DICT: the 25 instruction ids and how each binds its kwargs
/// (build_description). Unknown ids are an error.
/// </summary>
public static class InstructionRegistry
{
    private static readonly Dictionary<string, Func<InstructionArgs, IInstructionChecker>> Factories = new(StringComparer.Ordinal)
    {
        ["keywords:existence"] = a => new KeywordExistenceChecker(a.StringList("keywords")),
        ["keywords:frequency"] = a => new KeywordFrequencyChecker(NonEmpty(a, "keyword"), a.Int("frequency"), a.Relation("relation")),
        ["keywords:forbidden_words"] = a => new ForbiddenWordsChecker(a.StringList("forbidden_words")),
        ["keywords:letter_frequency"] = a => new LetterFrequencyChecker(
            LetterFrequencyChecker.NormalizeLetter(a.OptionalString("letter")), a.Int("let_frequency"), a.Relation("let_relation")),
        ["language:response_language"] = a => new ResponseLanguageChecker(Language(a)),
        ["length_constraints:number_sentences"] = a => new NumberSentencesChecker(a.Int("num_sentences"), a.Relation("relation")),
        ["length_constraints:number_paragraphs"] = a => new NumberParagraphsChecker(a.Int("num_paragraphs")),
        ["length_constraints:number_words"] = a => new NumberWordsChecker(a.Int("num_words"), a.Relation("relation")),
        ["length_constraints:nth_paragraph_first_word"] = NthParagraphFirstWord,
        ["detectable_content:number_placeholders"] = a => new NumberPlaceholdersChecker(a.Int("num_placeholders")),
        ["detectable_content:postscript"] = a => new PostscriptChecker(a.String("postscript_marker")),
        ["detectable_format:number_bullet_lists"] = a => new NumberBulletListsChecker(a.Int("num_bullets")),
        ["detectable_format:constrained_response"] = _ => new ConstrainedResponseChecker(),
        ["detectable_format:number_highlighted_sections"] = a => new NumberHighlightedSectionsChecker(a.Int("num_highlights")),
        ["detectable_format:multiple_sections"] = a => new MultipleSectionsChecker(a.String("section_spliter"), a.Int("num_sections")),
        ["detectable_format:json_format"] = _ => new JsonFormatChecker(),
        ["detectable_format:title"] = _ => new TitleChecker(),
        ["combination:two_responses"] = _ => new TwoResponsesChecker(),
        ["combination:repeat_prompt"] = a => new RepeatPromptChecker(NonEmpty(a, "prompt_to_repeat")),
        ["startend:end_checker"] = a => new EndChecker(a.String("end_phrase")),
        ["startend:quotation"] = _ => new QuotationChecker(),
        ["change_case:capital_word_frequency"] = a => new CapitalWordFrequencyChecker(a.Int("capital_frequency", nonNegative: false), a.Relation("capital_relation")),
        ["change_case:english_capital"] = _ => new EnglishCapitalChecker(),
        ["change_case:english_lowercase"] = _ => new EnglishLowercaseChecker(),
        ["punctuation:no_comma"] = _ => new NoCommaChecker(),
    };

    /// <summary>All supported ids, in the reference registry's order.</summary>
    public static IReadOnlyCollection<string> InstructionIds => Factories.Keys;

    public static bool IsKnown(string instructionId) => Factories.ContainsKey(instructionId);

    /// <summary>The family of an id: the part before the colon (e.g. "keywords").</summary>
    public static string FamilyOf(string instructionId)
    {
        int colon = instructionId.IndexOf(':');
        return colon < 0 ? instructionId : instructionId[..colon];
    }

    /// <summary>
    /// Binds an instruction to its kwargs. Throws <see cref="InstructionArgumentException"/> for an unknown id,
    /// a missing/ill-typed/out-of-range argument, or an argument the instruction does not take.
    /// </summary>
    public static IInstructionChecker Create(string instructionId, IReadOnlyDictionary<string, JsonElement>? kwargs)
    {
        if (!Factories.TryGetValue(instructionId, out var factory))
            throw new InstructionArgumentException($"unknown instruction id '{instructionId}'");
        var args = new InstructionArgs(kwargs);
        var checker = factory(args);
        args.EnsureAllUsed();
        return checker;
    }

    private static string NonEmpty(InstructionArgs a, string name)
    {
        var s = a.String(name);
        if (s.Length == 0) throw new InstructionArgumentException($"'{name}' must not be empty (the reference would draw a random value or refuse it)");
        return s;
    }

    private static string Language(InstructionArgs a)
    {
        var lang = a.String("language");
        if (!ResponseLanguageChecker.LanguageCodes.ContainsKey(lang))
            throw new InstructionArgumentException($"'language': \"{lang}\" is not one of the reference's language codes");
        return lang;
    }

    private static IInstructionChecker NthParagraphFirstWord(InstructionArgs a)
    {
        long num = a.Int("num_paragraphs");
        long nth = a.Int("nth_paragraph");
        if (nth <= 0 || nth > num)
            throw new InstructionArgumentException($"'nth_paragraph' must be between 1 and num_paragraphs ({num}) (the reference would draw a random value for {nth})");
        return new NthParagraphFirstWordChecker(num, nth, a.String("first_word"));
    }
}
