using System.Collections.Concurrent;
using HiShopping.Api.Http;
using HiShopping.Store;

namespace HiShopping.Api.Auth;

public enum CaptchaPolicy { Adaptive, Always, Off }

/// <summary>
/// Remembers failed logins for 15 minutes, per email and per client address: after 3 the captcha is demanded
/// (adaptive policy); after 10 for one email that email is refused with 4029 for 15 minutes.
/// </summary>
public sealed class LoginGuard(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public const int CaptchaAfter = 3;
    public const int LockAfter = 10;

    private readonly ConcurrentDictionary<string, Failures> _failures = new();

    public void ThrowIfLocked(string email)
    {
        if (!_failures.TryGetValue("e:" + email, out var f)) return;
        var until = f.LockedUntil(clock.GetUtcNow());
        if (until is { } u)
        {
            var seconds = (int)Math.Ceiling((u - clock.GetUtcNow()).TotalSeconds);
            throw new HiShopException(ErrorCode.TooManyRequests,
                $"Too many failed logins for this email; try again in {seconds} s.", new RetryAfter(Math.Max(1, seconds)));
        }
    }

    public bool CaptchaRequired(string email, string clientAddress)
    {
        var now = clock.GetUtcNow();
        return Count("e:" + email, now) >= CaptchaAfter || Count("a:" + clientAddress, now) >= CaptchaAfter;
    }

    public void RecordFailure(string email, string clientAddress)
    {
        var now = clock.GetUtcNow();
        _failures.GetOrAdd("e:" + email, _ => new Failures()).Add(now, LockAfter);
        _failures.GetOrAdd("a:" + clientAddress, _ => new Failures()).Add(now, int.MaxValue);
        if (_failures.Count > 100_000) Prune(now);
    }

    public void RecordSuccess(string email) => _failures.TryRemove("e:" + email, out _);

    private int Count(string key, DateTimeOffset now) => _failures.TryGetValue(key, out var f) ? f.Count(now) : 0;

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, f) in _failures)
            if (f.Count(now) == 0 && f.LockedUntil(now) is null) _failures.TryRemove(key, out _);
    }

    private sealed class Failures
    {
        private readonly Queue<DateTimeOffset> _times = new();
        private DateTimeOffset? _lockedUntil;

        public void Add(DateTimeOffset now, int lockAfter)
        {
            lock (_times)
            {
                Trim(now);
                _times.Enqueue(now);
                if (_times.Count >= lockAfter) _lockedUntil = now + Window;
            }
        }

        public int Count(DateTimeOffset now)
        {
            lock (_times)
            {
                Trim(now);
                return _times.Count;
            }
        }

        public DateTimeOffset? LockedUntil(DateTimeOffset now)
        {
            lock (_times) return _lockedUntil > now ? _lockedUntil : null;
        }

        private void Trim(DateTimeOffset now)
        {
            while (_times.Count > 0 && now - _times.Peek() > Window) _times.Dequeue();
        }
    }
}
