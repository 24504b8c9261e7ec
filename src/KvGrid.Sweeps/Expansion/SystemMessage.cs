using KvGrid.Benchmarks.Datasets;
using KvGrid.Benchmarks.Synthetic;
using KvGrid.Contracts;
using GridSpan = KvGrid.Contracts.TextSpan;

namespace KvGrid.Sweeps.Expansion;

/// <summary>
/// A built system message and its labelled character spans:
/// <list type="bullet">
/// <item><c>defense</c>: the defense text; a template that surrounds the prompt gives two pieces with the same
/// label (pieces of one label form one span group);</item>
/// <item><c>system</c>: the system prompt (with the prefix line when present): the paper's system-instruction span;</item>
/// <item><c>prefix</c>: the "You are a helpful assistant..." line and its blank line, when present;</item>
/// <item><c>instr:&lt;i&gt;</c>: one per instruction of the system prompt, numbered from 0 in text order.</item>
/// </list>
/// <see cref="LeakReference"/> is the system prompt without the defense: what a leak reproduces.
/// </summary>
public sealed record SystemMessage(string Text, IReadOnlyList<GridSpan> Spans, string LeakReference, string DefenseOrder)
{
    public const string DefenseLabel = "defense";
    public const string SystemLabel = "system";
    public const string PrefixLabel = "prefix";
    public const string InstructionLabelPrefix = "instr:";

    /// <summary>Protocol step 1's optional first line of the system prompt (with its blank line), as the paper's code prepends it.</summary>
    public const string HelpfulAssistantPrefix =
        "You are a helpful assistant. If you receive a valid user request, please respond while adhering to the following guidelines:\n\n";

    public bool HasDefense => Spans.Any(s => s.Label == DefenseLabel);

    public int InstructionCount => Spans.Count(s => s.Label.StartsWith(InstructionLabelPrefix, StringComparison.Ordinal));

    /// <summary>The span groups fair eviction per instruction partitions: the defense, the prefix, each instruction.</summary>
    public int InstructionGroupCount => (HasDefense ? 1 : 0) + (Spans.Any(s => s.Label == PrefixLabel) ? 1 : 0) + InstructionCount;

    /// <summary>Order names recorded in <see cref="ContextWork.DefenseOrder"/>.</summary>
    public static class Orders
    {
        public const string None = "none";
        public const string DefenseFirst = "defense_first";
        public const string DefenseMiddle = "defense_middle";
        public const string DefenseLast = "defense_last";
        public const string Surrounding = "surrounding";
    }

    /// <summary>Protocol step 1 for a dataset system prompt: optional prefix, then the defense template around it (or none).</summary>
    public static SystemMessage FromPrompt(string instructions, bool prefix, DefenseTemplate? template)
    {
        var prefixText = prefix ? HelpfulAssistantPrefix : "";
        var systemPrompt = prefixText + instructions;
        var before = template?.Before ?? "";
        var after = template?.After ?? "";
        var order = template?.Order ?? Benchmarks.Datasets.DefenseOrder.None;
        var spans = new List<GridSpan>();
        if (order is Benchmarks.Datasets.DefenseOrder.DefenseFirst or Benchmarks.Datasets.DefenseOrder.Surrounding && before.Length > 0)
        {
            spans.Add(new GridSpan(DefenseLabel, 0, before.Length));
        }

        spans.Add(new GridSpan(SystemLabel, before.Length, systemPrompt.Length));
        if (prefix)
        {
            spans.Add(new GridSpan(PrefixLabel, before.Length, prefixText.Length));
        }

        var instructionsStart = before.Length + prefixText.Length;
        var index = 0;
        foreach (var (start, length) in InstructionSplitter.Split(instructions))
        {
            spans.Add(new GridSpan(InstructionLabelPrefix + index++, instructionsStart + start, length));
        }

        if (order is Benchmarks.Datasets.DefenseOrder.DefenseLast or Benchmarks.Datasets.DefenseOrder.Surrounding && after.Length > 0)
        {
            spans.Add(new GridSpan(DefenseLabel, before.Length + systemPrompt.Length, after.Length));
        }

        var orderName = order switch
        {
            Benchmarks.Datasets.DefenseOrder.DefenseFirst => Orders.DefenseFirst,
            Benchmarks.Datasets.DefenseOrder.DefenseLast => Orders.DefenseLast,
            Benchmarks.Datasets.DefenseOrder.Surrounding => Orders.Surrounding,
            _ => Orders.None,
        };
        return new SystemMessage(before + systemPrompt + after, Ordered(spans), systemPrompt, orderName);
    }

    /// <summary>A synthetic example's system message, with its own defense sentence or without it.</summary>
    public static SystemMessage FromSynthetic(SyntheticExample example, bool withDefense)
    {
        var prompt = withDefense ? example.Defended : example.Undefended;
        var text = prompt.Text;
        var spans = new List<GridSpan>();
        var orderName = Orders.None;
        if (withDefense && prompt.DefenseSpan is { } defense)
        {
            spans.Add(new GridSpan(DefenseLabel, defense.Start, defense.Length));
            // The system span is everything else (two pieces when the defense sits in the middle).
            if (defense.Start > 0)
            {
                spans.Add(new GridSpan(SystemLabel, 0, defense.Start));
            }

            if (defense.End < text.Length)
            {
                spans.Add(new GridSpan(SystemLabel, defense.End, text.Length - defense.End));
            }

            orderName = example.Placement switch
            {
                DefensePlacement.First => Orders.DefenseFirst,
                DefensePlacement.Last => Orders.DefenseLast,
                _ => Orders.DefenseMiddle,
            };
        }
        else
        {
            spans.Add(new GridSpan(SystemLabel, 0, text.Length));
        }

        var index = 0;
        foreach (var placed in prompt.Instructions.Where(p => p.Instruction.Kind != SyntheticInstructionKind.Defense))
        {
            spans.Add(new GridSpan(InstructionLabelPrefix + index++, placed.Span.Start, placed.Span.Length));
        }

        return new SystemMessage(text, Ordered(spans), example.Undefended.Text, orderName);
    }

    // By start; an enclosing span (system) before the spans inside it (prefix, instructions).
    private static List<GridSpan> Ordered(List<GridSpan> spans) =>
        spans.OrderBy(s => s.Start).ThenByDescending(s => s.Length).ThenBy(s => s.Label, StringComparer.Ordinal).ToList();
}
