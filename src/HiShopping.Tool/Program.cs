using HiShopping.Tool.Cli;

return await HishopCli.RunAsync(args, Console.Out, Console.Error);
