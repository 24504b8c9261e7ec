using System.CommandLine;
using KvGrid.Cli.Commands;

var root = new RootCommand("KvGrid: what does KV cache compression break? Distributed experiment grid for 'The Pitfalls of KV Cache Compression'.");
root.Add(DemoCommand.Create());
root.Add(TokenizeCommand.Create());
root.Add(GenerateCommand.Create());
root.Add(ModelCommands.Create());
root.Add(BenchCommands.Create());
root.Add(PressCommands.Create());
root.Add(DataCommands.Create());
root.Add(LeakageCommands.Create());
root.Add(IfEvalCommands.Create());
root.Add(SweepCommands.Create());
root.Add(ResultsCommands.Create());
root.Add(SiloCommand.Create());
root.Add(ReportCommand.Create());
root.Add(OrganismCommands.Create());
return root.Parse(args).Invoke();
