// TEMPORARY until KvGrid.Templating builds
namespace KvGrid.Engine.Tokenization;
public sealed record ChatMessage(string Role, string Content);
public sealed class ChatTemplate
{
    public static ChatTemplate? Load(string dir, string? o = null) => null;
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? extra = null) => throw new NotSupportedException();
}
