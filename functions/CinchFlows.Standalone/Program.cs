using CinchFlows.Standalone;

CinchFlowsApp.Build(args).Run();
