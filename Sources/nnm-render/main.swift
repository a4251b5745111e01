RenderCommand.main()
