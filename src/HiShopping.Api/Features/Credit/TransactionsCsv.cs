using System.Globalization;
using System.Text;
using HiShopping.Api.Contracts;
using HiShopping.Store;
using HiShopping.Store.Services;

namespace HiShopping.Api.Features.Credit;

/// <summary>
/// A merchant's ledger as CSV (RFC 4180, UTF-8, header first), newest first, with the list's filters — written as it is
/// read, a page of 100 at a time by keyset, so a million entries take no more memory than one page. The API's
/// <c>/credit/transactions.csv</c>, the CLI's <c>credit transactions --csv</c> and the console's Export use it.
/// </summary>
public static class TransactionsCsv
{
    public const string Header = "reference_no,type,amount,balance_before,balance_after,order_no,memo,currency,created_at";

    public static async Task<long> WriteAsync(ICreditService credit, long merchantId, TransactionQuery filter, TextWriter output, CancellationToken cancel = default)
    {
        await output.WriteAsync(Header + "\r\n");
        long rows = 0;
        string? cursor = null;
        do
        {
            cancel.ThrowIfCancellationRequested();
            var page = credit.Transactions(merchantId, filter with { Page = 1, PageSize = Rules.MaxPageSize, Cursor = cursor, SkipTotal = true });
            var text = new StringBuilder();
            foreach (var e in page.Items)
            {
                var r = LedgerEntryResponse.From(e);
                text.Append(Field(r.ReferenceNo)).Append(',').Append(Field(r.Type)).Append(',').Append(r.Amount).Append(',')
                    .Append(r.BalanceBefore).Append(',').Append(r.BalanceAfter).Append(',').Append(Field(r.OrderNo)).Append(',')
                    .Append(Field(r.Memo)).Append(',').Append(Field(r.Currency)).Append(',')
                    .Append(r.CreatedAt.UtcDateTime.ToString(UtcTimeJsonConverter.Format, CultureInfo.InvariantCulture)).Append("\r\n");
                rows++;
            }
            await output.WriteAsync(text, cancel);
            cursor = page.NextCursor;
        } while (cursor is not null);
        await output.FlushAsync(cancel);
        return rows;
    }

    /// <summary>
    /// A text field: quoted when it holds a comma, quote or line break; a leading =, +, - or @ is prefixed with ' so a
    /// spreadsheet shows the memo instead of running it as a formula.
    /// </summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
