namespace HiShopping.Store.Database;

/// <summary>
/// Lets a writer in another process through a busy <c>serve</c>. SQLite's own wait for the write lock retries with
/// pauses that grow to 100 ms, and serve's writer, batch after batch, frees the lock for a few microseconds at a time:
/// a CLI top-up could wait seconds. So a waiting writer announces itself with a shared advisory lock on a small file
/// beside the database for as long as it waits, and serve's writer (the primary), before each batch, takes a quick
/// exclusive look at that file: when someone is waiting it pauses, a millisecond at a time, until the waiter got the
/// lock (or half a second passed). Advisory file locks are what .NET's FileShare uses on Linux and macOS; where they
/// do nothing, writers simply take turns as SQLite lets them.
/// </summary>
public sealed class WriterTurns(StoreOptions options)
{
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(500);
    private readonly string _path = options.WriterTurnsPath;
    private static readonly FileStreamOptions Announce = Options(FileShare.ReadWrite);
    private static readonly FileStreamOptions Look = Options(FileShare.None);

    /// <summary>FileShare.None takes an exclusive advisory lock on the file, any other share a shared one.</summary>
    private static FileStreamOptions Options(FileShare share)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Read, Share = share };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return options;
    }

    public bool Primary { get; } = options.PrimaryWriter;

    /// <summary>A non-primary writer holds this while it waits for the write lock (null when it could not be taken).</summary>
    public IDisposable? Waiting()
    {
        if (Primary) return null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try { return new FileStream(_path, Announce); }
            catch (IOException) { Thread.Sleep(1); } // the primary is looking this very moment
            catch (UnauthorizedAccessException) { return null; }
        }
        return null;
    }

    /// <summary>The primary writer, before it takes the lock: pauses while another process's writer is waiting.</summary>
    public void LetOthersIn()
    {
        if (!Primary) return;
        if (!SomeoneWaiting()) { _gaveWay = false; return; }
        // One pause per waiting episode: a waiter that is stuck (suspended, or queued behind a third process's long
        // import) must not slow every batch; serve pauses again only after it has seen nobody waiting.
        if (_gaveWay) return;
        _gaveWay = true;
        var until = DateTime.UtcNow + LongestPause;
        while (SomeoneWaiting() && DateTime.UtcNow < until) Thread.Sleep(1);
    }

    private bool _gaveWay;

    private bool SomeoneWaiting()
    {
        try
        {
            using var look = new FileStream(_path, Look);
            return false;
        }
        catch (IOException) { return true; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
