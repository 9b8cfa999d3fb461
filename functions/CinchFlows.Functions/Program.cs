using CinchFlows.Functions;

CinchFlowsApp.Build(args).Run();
