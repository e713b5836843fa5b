namespace HiShopping.Api.Hosting;

/// <summary>
/// <c>hishop serve</c> binds its listener before it creates anything in the data directory; between the two, requests
/// are answered 503 (code 5001, Retry-After: 1) instead of reaching a store that is not set up yet.
/// </summary>
public sealed class ServeReadiness
{
    private volatile bool _ready = true;

    public bool IsReady => _ready;

    public void Starting() => _ready = false;

    public void Ready() => _ready = true;
}
