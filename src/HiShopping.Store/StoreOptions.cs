namespace HiShopping.Store;

/// <summary>
/// Where the store keeps its data: the data directory (key files, and the SQLite database unless another path is given)
/// or a PostgreSQL database named by a connection string.
/// </summary>
public sealed record StoreOptions
{
    public required string DataDir { get; init; }

    /// <summary>
    /// A PostgreSQL connection string (<c>Host=…;Database=…;Username=…</c>): the store lives there instead of in a
    /// SQLite file. The key files stay in <see cref="DataDir"/>; every <c>serve</c> on one database needs the same ones.
    /// </summary>
    public string? ConnectionString { get; init; }

    public bool IsPostgres => ConnectionString is not null;

    /// <summary>True when <paramref name="db"/> (a <c>--db</c> value) names a PostgreSQL database rather than a file.</summary>
    public static bool IsConnectionString(string db) =>
        db.Contains('=', StringComparison.Ordinal) && db.Contains(';', StringComparison.Ordinal) ||
        db.StartsWith("Host=", StringComparison.OrdinalIgnoreCase) || db.StartsWith("Server=", StringComparison.OrdinalIgnoreCase);

    /// <summary>What to call the database in messages: the file, or the server and database without the password.</summary>
    public string Describe()
    {
        if (ConnectionString is null) return DbPath;
        var b = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        // Npgsql signs in as the operating system's user when the string names nobody.
        var user = b.Username ?? Environment.UserName;
        return $"PostgreSQL {b.Database ?? user} on {b.Host}:{b.Port} as {user}";
    }

    /// <summary>The database file; defaults to <c>hishop.db</c> in the data directory.</summary>
    public string? DatabasePath { get; init; }

    public string DbPath => DatabasePath ?? Path.Combine(DataDir, "hishop.db");

    public string MasterKeyPath => Path.Combine(DataDir, "master.key");

    public string JwtKeyPath => Path.Combine(DataDir, "jwt.key");

    /// <summary>
    /// True for the process that writes all day (<c>serve</c>): before each batch its writer checks whether a writer in
    /// another process (the CLI) is waiting for the database's write lock, and lets it in first. Others announce
    /// themselves while they wait (see <see cref="Database.WriterTurns"/>).
    /// </summary>
    public bool PrimaryWriter { get; init; }

    /// <summary>
    /// Read the database through a memory map (256 MiB) — for <c>serve</c>, whose reads it speeds up (bench/README.md).
    /// Not for the CLI: mapped pages count in a process's memory, and a catalog import reading the whole file went far
    /// past its memory goal with it.
    /// </summary>
    public bool MapDatabase { get; init; }

    /// <summary>The file through which writers of different processes see each other waiting.</summary>
    public string WriterTurnsPath => DbPath + "-writers";

    /// <summary>PBKDF2 iterations of new password hashes: 600,000 unless a test asks for fewer.</summary>
    public int PasswordIterations { get; init; } = Security.PasswordHasher.ProductionIterations;
}
