using TUnit.Core.Interfaces;

namespace HiShopping.Testing;

/// <summary>
/// Tests that start real <c>hishop</c> processes (serve, the console under tmux) run two at a time: each start costs a
/// JIT's worth of CPU, and on two cores more at once would only make every one of them slower.
/// </summary>
public sealed record ProcessLimit : IParallelLimit
{
    public int Limit => 2;
}

/// <summary>Headless console tests, each its own Terminal.Gui application, run two at a time.</summary>
public sealed record ConsoleLimit : IParallelLimit
{
    public int Limit => 2;
}
