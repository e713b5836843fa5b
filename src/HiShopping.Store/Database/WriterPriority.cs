using System.Runtime.InteropServices;

namespace HiShopping.Store.Database;

/// <summary>
/// <c>serve</c>'s writer thread runs ahead of request threads for the CPU (Linux: nice -10 for that one thread). Every
/// write of the process waits for that one thread, while request work is spread over the thread pool: on a small
/// machine shared with other work, a writer that waits its turn for a core holds every batch up, and the cores then
/// idle while its commit's fsync runs. Oracle runs its log writer at a raised priority for the same reason. The
/// writer never takes more than one core, so request threads always keep the others.
/// </summary>
/// <remarks>
/// Raising a priority needs root, <c>CAP_SYS_NICE</c>, or a nice limit that allows it (systemd: <c>LimitNICE=-10</c>;
/// pam_limits: <c>USER - nice -10</c>). Without any of them the writer runs at the priority it inherited, exactly as
/// before: nothing fails, and <c>serve</c> says so when it starts. Measured on the project's 2-core machine, 64
/// connections, the writer switched between nice 0 and -10 every 3 s within one run: +3 to +8 % orders per second
/// (bench/README.md). Elsewhere than Linux nothing is changed.
/// </remarks>
public static class WriterPriority
{
    /// <summary>The nice value the writer asks for.</summary>
    public const int Nice = -10;

    private const int PrioProcess = 0;

    /// <summary>Raises the calling thread to <see cref="Nice"/>; false where that is not allowed or not Linux.</summary>
    public static bool RaiseCurrentThread()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // On Linux a nice value belongs to a thread, named by its thread id: this thread only.
            return setpriority(PrioProcess, (uint)gettid(), Nice) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // a C library without gettid (glibc before 2.30): leave the priority as it is
        }
    }

    /// <summary>
    /// Whether this process may raise a thread to <see cref="Nice"/>: tried on a short-lived thread of its own, so the
    /// answer is the system's (root, capabilities, limits), not a guess.
    /// </summary>
    public static bool Permitted()
    {
        var raised = false;
        var probe = new Thread(() => raised = RaiseCurrentThread()) { IsBackground = true, Name = "hishop priority probe" };
        probe.Start();
        probe.Join();
        return raised;
    }

    /// <summary>The calling thread's id (Linux), or null.</summary>
    public static int? CurrentThreadId()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try { return gettid(); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return null; }
    }

    /// <summary>The nice value of the thread <paramref name="threadId"/> of this process (Linux; for tests).</summary>
    public static int NiceOf(int threadId)
    {
        // /proc/self/task/TID/stat: "pid (comm) state …", the nice value is the 19th field; comm may hold spaces.
        var stat = File.ReadAllText($"/proc/self/task/{threadId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }

    // DllImport rather than LibraryImport: both take and return plain ints (nothing to marshal), and LibraryImport would
    // need unsafe code allowed in the whole project.
    [DllImport("libc")]
    private static extern int setpriority(int which, uint who, int prio);

    [DllImport("libc")]
    private static extern int gettid();
}
