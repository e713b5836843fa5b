namespace HiShopping.Store;

/// <summary>
/// Collects what is wrong with an input, field by field, and throws one 4000 naming every field
/// (<c>data.errors</c> in the API, one line per problem in the CLI and the console).
/// </summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public Validation Add(string field, string message)
    {
        (_errors.TryGetValue(field, out var list) ? list : _errors[field] = []).Add(message);
        return this;
    }

    /// <summary>At most <paramref name="max"/> characters; with <paramref name="required"/>, also present and not blank.</summary>
    public Validation Length(string field, string? value, int max, bool required = false)
    {
        if (required && string.IsNullOrWhiteSpace(value)) Add(field, $"{field} is required.");
        else if (value is not null && value.Length > max) Add(field, $"{field} must be at most {max} characters.");
        return this;
    }

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0) throw HiShopException.Invalid(_errors);
    }

    /// <summary>Runs <paramref name="check"/> on a new validation and throws if it found anything.</summary>
    public static void Check(Action<Validation> check)
    {
        var v = new Validation();
        check(v);
        v.ThrowIfInvalid();
    }
}
