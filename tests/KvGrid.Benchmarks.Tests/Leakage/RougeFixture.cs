using System.Text;
using System.Text.Json;
using KvGrid.Benchmarks.Datasets;

namespace KvGrid.Benchmarks.Tests.Leakage;

/// <summary>
/// Reads Fixtures/rouge_pairs.jsonl: each case names its system prompt by reference (sys_ifeval_shuffled key,
/// optional prepend, optional defense template) or literally, and its response as segments (literal text or
/// character slices of the system prompt), so no data text is copied into the repository.
/// </summary>
internal static class RougeFixture
{
    public const string Prepend =
        "You are a helpful assistant. If you receive a valid user request, please respond while adhering to the following guidelines:\n\n";

    public sealed record Case(string Id, string SystemPrompt, string Response, JsonElement Expected);

    public static IReadOnlyList<Case> Load()
    {
        var prompts = new Dictionary<int, string>();
        foreach (var line in File.ReadLines(TestData.SysIfEvalShuffledPath))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            prompts[root.GetProperty("key").GetInt32()] = root.GetProperty("messages")[0].GetProperty("content").GetString()!;
        }

        var templates = DefenseTemplates.Load(TestData.DefenseTemplatesPath);
        var cases = new List<Case>();
        foreach (var line in File.ReadLines(TestData.Fixture("rouge_pairs.jsonl")))
        {
            var root = JsonDocument.Parse(line).RootElement;
            var spec = root.GetProperty("system_prompt");
            string systemPrompt;
            if (spec.TryGetProperty("text", out var text))
            {
                systemPrompt = text.GetString()!;
            }
            else
            {
                systemPrompt = prompts[spec.GetProperty("key").GetInt32()];
                if (spec.TryGetProperty("prepend", out var prepend) && prepend.GetBoolean())
                {
                    systemPrompt = Prepend + systemPrompt;
                }

                if (spec.TryGetProperty("template", out var template))
                {
                    systemPrompt = templates.Get(template.GetString()!).Apply(systemPrompt);
                }
            }

            cases.Add(new Case(root.GetProperty("id").GetString()!, systemPrompt,
                Render(root.GetProperty("response"), systemPrompt), root));
        }

        return cases;
    }

    private static string Render(JsonElement segments, string systemPrompt)
    {
        var response = new StringBuilder();
        foreach (var segment in segments.EnumerateArray())
        {
            if (segment.TryGetProperty("text", out var literal))
            {
                response.Append(literal.GetString());
                continue;
            }

            var from = segment.GetProperty("from").GetInt32();
            var to = segment.GetProperty("to").GetInt32();
            var piece = systemPrompt[from..to];
            if (segment.TryGetProperty("case", out var letterCase) && letterCase.GetString() == "upper")
            {
                piece = new string(piece.Select(c => c is >= 'a' and <= 'z' ? (char)(c - 32) : c).ToArray());
            }

            response.Append(piece);
        }

        return response.ToString();
    }
}
