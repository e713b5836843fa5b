namespace HiShopping.Testing;

/// <summary>
/// Waiting on what a test cannot be signalled by — another process, a terminal under tmux, a server's cache — by
/// asking again on a fixed beat until the answer is right or the deadline passes; the failure says what was awaited
/// and what was last seen. Waits on things in this process use their own signals (tasks), not this.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(50);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan deadline, string awaited)
    {
        using var beat = new PeriodicTimer(Beat);
        var until = DateTime.UtcNow + deadline;
        T last = await read();
        while (!done(last))
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{awaited} did not happen within {deadline.TotalSeconds:0} s; last seen:\n{last}");
            await beat.WaitForNextTickAsync();
            last = await read();
        }
        return last;
    }

    public static Task UntilAsync(Func<bool> done, TimeSpan deadline, string awaited) =>
        UntilAsync(() => Task.FromResult(done()), d => d, deadline, awaited);
}
