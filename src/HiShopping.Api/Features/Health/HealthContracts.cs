namespace HiShopping.Api.Features.Health;

public sealed record HealthResponse(string Status, int SchemaVersion, string Version);
