// The shared fixtures (stores, servers, the CLI runner, the console harness) of tests/HiShopping.Testing.
global using HiShopping.Testing;

// Linux only, like the shared fixtures (file modes, signals, tmux).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
