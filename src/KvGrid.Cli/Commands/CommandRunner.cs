using System.CommandLine;
using KvGrid.Engine;

namespace KvGrid.Cli.Commands;

/// <summary>Runs a command body: user errors become one line on stderr (exit 2), never a stack trace.</summary>
public static class CommandRunner
{
    public const int UserError = 2;
    public const int InternalError = 70;

    public static void SetRun(this Command command, Func<ParseResult, int> body) =>
        command.SetAction(parse => Run(() => body(parse)));

    public static void SetRunAsync(this Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, ct) =>
        {
            try { return await body(parse, ct); }
            catch (Exception e) { return Report(e); }
        });

    public static int Run(Func<int> body)
    {
        try { return body(); }
        catch (Exception e) { return Report(e); }
    }

    static int Report(Exception e)
    {
        switch (e)
        {
            case KvGridException k:
                Console.Error.WriteLine($"error: {OneLine(k.Message)}");
                return UserError;
            case OperationCanceledException:
                Console.Error.WriteLine("cancelled");
                return 130;
            default:
                Console.Error.WriteLine($"internal error: {e.GetType().Name}: {OneLine(e.Message)}");
                if (Environment.GetEnvironmentVariable("KVGRID_DEBUG") == "1") Console.Error.WriteLine(e);
                return InternalError;
        }
    }

    static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
