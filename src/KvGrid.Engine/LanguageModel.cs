using KvGrid.Engine.Checkpoints;
using KvGrid.Engine.Modeling;
using KvGrid.Engine.Tokenization;
using static TorchSharp.torch;

namespace KvGrid.Engine;

/// <summary>A loaded model folder: weights, tokenizer, chat template and stop ids, ready to run.</summary>
public sealed class LanguageModel : IDisposable
{
    public string Directory { get; }
    public DecoderModel Model { get; }
    public HfTokenizer Tokenizer { get; }
    public ChatTemplate? ChatTemplate { get; }
    public IReadOnlyList<int> StopIds { get; }

    LanguageModel(string dir, DecoderModel model, HfTokenizer tokenizer, ChatTemplate? template)
    {
        Directory = dir; Model = model; Tokenizer = tokenizer; ChatTemplate = template;
        StopIds = model.Config.EosTokenIds;
    }

    /// <summary>
    /// Loads a model folder. The folder, config.json and the tokenizer files are all checked before any weight is
    /// read; every problem is a one-line <see cref="CheckpointException"/> naming the file and the key or tensor.
    /// </summary>
    public static LanguageModel Load(string dir, Device device, ScalarType dtype)
    {
        ModelFolder.Check(dir);
        var config = ModelConfig.Load(dir);
        var tokenizer = HfTokenizer.Load(dir);
        try
        {
            tokenizer.CheckFits(config.VocabSize);
            var template = ChatTemplate.Load(dir);
            var model = DecoderModel.Load(dir, dtype, device);
            return new LanguageModel(dir, model, tokenizer, template);
        }
        catch
        {
            tokenizer.Dispose();
            throw;
        }
    }

    public ChatTemplate RequireChatTemplate() =>
        ChatTemplate ?? throw new KvGridException($"{Path.Combine(Directory, "tokenizer_config.json")}: no chat_template");

    /// <summary>Ids of a rendered chat, as apply_chat_template(tokenize=True): the rendered text encoded without adding special tokens.</summary>
    public int[] EncodeChat(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) =>
        Tokenizer.Encode(RequireChatTemplate().Render(messages, addGenerationPrompt), addSpecialTokens: false);

    public void Validate(IReadOnlyList<int> ids, string what)
    {
        int vocab = Model.Config.VocabSize;
        for (int i = 0; i < ids.Count; i++)
            if (ids[i] < 0 || ids[i] >= vocab)
                throw new KvGridException($"{what}: id {ids[i]} at index {i} is outside the vocabulary [0, {vocab})");
    }

    public void Dispose()
    {
        Model.Dispose();
        Tokenizer.Dispose();
    }
}
