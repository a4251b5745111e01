import NNMCommandLine

reportClosedPipesAsErrors()
InspectCommand.main()
