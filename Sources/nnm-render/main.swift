import NNMCommandLine

reportClosedPipesAsErrors()
RenderCommand.main()
