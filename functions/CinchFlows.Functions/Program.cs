using CinchFlows.Functions;
using CinchFlows.Functions.CustomHandler;

if (FunctionMetadataWriter.TryRun(args, Console.Out))
{
    return;
}

CinchFlowsApp.Build(args).Run();
