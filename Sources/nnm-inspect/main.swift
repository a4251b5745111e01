InspectCommand.main()
