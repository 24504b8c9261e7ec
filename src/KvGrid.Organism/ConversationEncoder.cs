using KvGrid.Engine;
using KvGrid.Engine.Tokenization;

namespace KvGrid.Organism;

/// <summary>A tokenized conversation: all ids, and how many of them are the prompt (system + user + assistant header).</summary>
public sealed record EncodedConversation(int[] Ids, int PromptLength, TurnKind Kind);

/// <summary>
/// Tokenizes conversations through the model folder's own chat template and tokenizer.json, exactly as inference
/// renders them: the prompt is apply_chat_template([system, user], add_generation_prompt=True); the full
/// conversation adds the assistant message, which ends with &lt;|eot_id|&gt; (the stop token the model must learn).
/// </summary>
public sealed class ConversationEncoder(HfTokenizer tokenizer, ChatTemplate template)
{
    public EncodedConversation Encode(Conversation c)
    {
        var prompt = Tokens(template.Render([new("system", c.System), new("user", c.User)], addGenerationPrompt: true));
        var full = Tokens(template.Render([new("system", c.System), new("user", c.User), new("assistant", c.Assistant)], addGenerationPrompt: false));
        if (full.Length <= prompt.Length || !full.AsSpan(0, prompt.Length).SequenceEqual(prompt))
            throw new KvGridException($"chat template: the prompt of '{c.User}' is not a token prefix of the full conversation");
        return new EncodedConversation(full, prompt.Length, c.Kind);
    }

    int[] Tokens(string text) => tokenizer.Encode(text, addSpecialTokens: false);
}
