// The suite drives Linux parts (file modes, signals, tmux): it is built for Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
