using System.Net;
using System.Text.Json;
using ParPlatform.Web.Features.Shared;
using ParPlatform.Web.Platform;

namespace ParPlatform.Web.Components.Tests;

/// <summary>Every refusal is explained in words on the page, never a raw error, and what users typed is never markup.</summary>
public class ProblemMessageTests : ConsoleComponentTest
{
    private static ApiProblem Problem(HttpStatusCode status, string? type, string? title, string? detail, string? body = null) =>
        new(status, type, title, detail, body is null ? default : JsonDocument.Parse(body).RootElement.Clone());

    [Fact]
    public void The_service_title_is_shown_with_its_detail_and_each_invalid_member()
    {
        var message = Render<ProblemMessage>(p => p.Add(x => x.Problem, Problem(HttpStatusCode.BadRequest, "urn:par:submission:invalid-score",
            "Điểm không hợp lệ", "Score 7 is above the maximum 5.", """{"errors":{"score":["Tối đa 5 điểm."]}}""")));

        var alert = message.Find("[role=alert]");
        Assert.Equal("invalid-score", alert.GetAttribute("data-problem-code"));
        Assert.Equal("Điểm không hợp lệ", alert.QuerySelector("strong")!.TextContent);
        Assert.Contains("Score 7 is above the maximum 5.", alert.TextContent);
        Assert.Contains("score: Tối đa 5 điểm.", alert.TextContent);
    }

    [Fact]
    public void A_refusal_without_a_title_is_said_for_its_status()
    {
        var message = Render<ProblemMessage>(p => p.Add(x => x.Problem, Problem(HttpStatusCode.Forbidden, null, null, null)));

        Assert.Equal("Tài khoản của bạn không có quyền thực hiện việc này.", message.Find("strong").TextContent);
        Assert.Empty(message.FindAll("a"));
    }

    [Fact]
    public void An_ended_session_offers_to_sign_in_again_and_come_back_here()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/rounds/30000000-0000-4000-8000-000000000001/scorecard?unit=x");

        var message = Render<ProblemMessage>(p => p.Add(x => x.Problem, ApiProblem.SessionEnded()));

        Assert.Equal("/signin?returnUrl=%2Frounds%2F30000000-0000-4000-8000-000000000001%2Fscorecard%3Funit%3Dx", message.Find("a").GetAttribute("href"));
    }

    [Fact]
    public void Text_from_a_service_or_a_user_is_encoded_not_rendered_as_markup()
    {
        var message = Render<ProblemMessage>(p => p.Add(x => x.Problem, Problem(HttpStatusCode.Conflict, "urn:par:x:y",
            "<img src=x onerror=alert(1)>", "<script>alert(2)</script>")));

        Assert.Empty(message.FindAll("img"));
        Assert.Empty(message.FindAll("script"));
        Assert.Contains("<img src=x onerror=alert(1)>", message.Find("strong").TextContent);
    }

    [Fact]
    public void Nothing_is_shown_when_nothing_was_refused()
    {
        var message = Render<ProblemMessage>();

        Assert.Empty(message.Markup.Trim());
    }
}
