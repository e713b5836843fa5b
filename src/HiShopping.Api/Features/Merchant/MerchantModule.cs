using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Http;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Merchant;

/// <summary>The signed-in merchant's profile and bank account.</summary>
public sealed class MerchantModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        foreach (var group in WebRoutes.MerchantGroups(app))
        {
            group.MapPost("/merchant", Create);
            group.MapGet("/merchant", Get);
            group.MapPut("/merchant", Update);
        }
    }

    private static async Task<IResult> Create(HttpContext context, IMerchantService merchants)
    {
        var input = await ReadProfile(context.Request);
        return Envelope.Ok(Dto.Merchant(merchants.Create(CurrentUser.Id(context), input)));
    }

    private static IResult Get(HttpContext context, IMerchantService merchants) =>
        Envelope.Ok(Dto.Merchant(merchants.GetByUser(CurrentUser.Id(context))));

    private static async Task<IResult> Update(HttpContext context, IMerchantService merchants)
    {
        var input = await ReadProfile(context.Request);
        return Envelope.Ok(Dto.Merchant(merchants.Update(CurrentUser.Id(context), input)));
    }

    /// <summary>Reads only the editable fields; status, fee rate, credit, ids and anything unknown are never read.</summary>
    private static async Task<MerchantProfileInput> ReadProfile(HttpRequest request)
    {
        var body = await JsonBody.ReadAsync(request);
        var bank = body.Object("bank_account");
        var input = new MerchantProfileInput
        {
            CompanyName = body.String("company_name")?.Trim(),
            ContactName = body.String("contact_name"),
            ContactPhone = body.String("contact_phone"),
            ContactEmail = body.String("contact_email"),
            Country = body.String("country"),
            Address = body.String("address"),
            Website = body.String("website"),
            BankName = bank?.String("bank_name"),
            BankAccountName = bank?.String("account_name"),
            BankAccountNumber = bank?.String("account_number"),
            BankSwift = bank?.String("swift_code"),
        };
        body.ThrowIfInvalid();
        return input;
    }
}
