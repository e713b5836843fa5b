namespace HiShopping.Store;

/// <summary>Where the store keeps its files: the data directory, the SQLite database and the key files.</summary>
public sealed record StoreOptions
{
    public required string DataDir { get; init; }

    /// <summary>The database file; defaults to <c>hishop.db</c> in the data directory.</summary>
    public string? DatabasePath { get; init; }

    public string DbPath => DatabasePath ?? Path.Combine(DataDir, "hishop.db");

    public string MasterKeyPath => Path.Combine(DataDir, "master.key");

    public string JwtKeyPath => Path.Combine(DataDir, "jwt.key");

    /// <summary>PBKDF2 iterations of new password hashes: 600,000 unless a test asks for fewer.</summary>
    public int PasswordIterations { get; init; } = Security.PasswordHasher.ProductionIterations;
}
