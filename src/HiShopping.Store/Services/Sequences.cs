using System.Data;
using System.Globalization;
using Dapper;

namespace HiShopping.Store.Services;

/// <summary>Human-readable unique numbers: a prefix, the UTC date and a store-wide sequence (taken inside the caller's transaction).</summary>
internal static class Sequences
{
    public static string Next(IDbConnection connection, IDbTransaction transaction, string name, string prefix, long nowMs)
    {
        const string Sql = """
            INSERT INTO sequences (name, value) VALUES (@name, 1)
            ON CONFLICT (name) DO UPDATE SET value = value + 1
            RETURNING value
            """;
        var value = connection.ExecuteScalar<long>(Sql, new { name }, transaction);
        var date = DateTimeOffset.FromUnixTimeMilliseconds(nowMs).UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return prefix + date + value.ToString("D10", CultureInfo.InvariantCulture);
    }
}
