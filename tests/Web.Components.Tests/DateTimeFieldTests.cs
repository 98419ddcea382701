using System.Globalization;
using ParPlatform.Web.Features.Shared;
using ParPlatform.Web.Platform;

namespace ParPlatform.Web.Components.Tests;

/// <summary>
/// The one date-and-time input: an official types day/month/year and a 24-hour time, on Vietnam's wall clock, in
/// every browser locale (the native datetime-local showed 12/31/2026 and PM on an English browser).
/// </summary>
public class DateTimeFieldTests : ConsoleComponentTest
{
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    [Fact]
    public void Shows_an_instant_as_Vietnam_wall_clock_day_first_and_24_hour()
    {
        // 10:30 UTC is 17:30 in Hà Nội.
        var field = Render<DateTimeField>(p => p.Add(x => x.Id, "due").Add(x => x.Value, new DateTimeOffset(2026, 12, 31, 10, 30, 0, TimeSpan.Zero)));

        var input = field.Find("input");
        Assert.Equal("31/12/2026 17:30", input.GetAttribute("value"));
        Assert.Equal("text", input.GetAttribute("type"));
        Assert.Contains("due-format", input.GetAttribute("aria-describedby"));
        Assert.Contains("giờ Việt Nam", field.Find("#due-format").TextContent);
    }

    [Theory]
    [InlineData("31/12/2026 17:00", 2026, 12, 31, 17, 0)]
    [InlineData("5/1/2027 8:05", 2027, 1, 5, 8, 5)]
    [InlineData("  05/01/2027   08:05 ", 2027, 1, 5, 8, 5)]
    public void What_is_typed_is_read_day_first_as_Vietnam_time(string typed, int year, int month, int day, int hour, int minute)
    {
        DateTimeOffset? changed = DateTimeOffset.MinValue;
        var field = Render<DateTimeField>(p => p.Add(x => x.Id, "due").Add(x => x.ValueChanged, value => changed = value));

        field.Find("input").Change(typed);

        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, 0, Vietnam), changed);
        Assert.Empty(field.FindAll("[role=alert]"));
        Assert.False(field.Find("input").HasAttribute("aria-invalid"));
    }

    [Theory]
    [InlineData("12/31/2026 5:00 PM")]
    [InlineData("31/12/2026")]
    [InlineData("2026-12-31T17:00")]
    [InlineData("32/01/2027 08:00")]
    public void Something_that_is_not_a_day_first_date_and_time_is_refused_in_words_and_clears_the_value(string typed)
    {
        DateTimeOffset? changed = DateTimeOffset.MinValue;
        var field = Render<DateTimeField>(p => p.Add(x => x.Id, "due").Add(x => x.TestId, "due")
            .Add(x => x.Value, new DateTimeOffset(2026, 12, 1, 17, 0, 0, Vietnam)).Add(x => x.ValueChanged, value => changed = value));

        field.Find("input").Change(typed);

        // The page never sends the previous date when what is on screen says something else.
        Assert.Null(changed);
        Assert.Equal("true", field.Find("input").GetAttribute("aria-invalid"));
        Assert.Contains("31/12/2026 17:00", field.Find("[data-testid=due-error]").TextContent);
        Assert.Equal(typed, field.Find("input").GetAttribute("value"));
    }

    [Fact]
    public void A_refused_static_form_shows_again_what_was_posted_with_its_problem()
    {
        var field = Render<DateTimeField>(p => p.Add(x => x.Id, "w-close").Add(x => x.Name, "Windows[close]")
            .Add(x => x.Value, new DateTimeOffset(2026, 12, 1, 17, 0, 0, Vietnam)).Add(x => x.Text, "31/13/2026 17:00").Add(x => x.Required, true));

        var input = field.Find("input");
        Assert.Equal("Windows[close]", input.GetAttribute("name"));
        Assert.Equal("31/13/2026 17:00", input.GetAttribute("value"));
        Assert.True(input.HasAttribute("required"));
        Assert.Single(field.FindAll("[role=alert]"));
    }

    [Fact]
    public void The_hint_and_the_problem_are_in_English_when_the_user_switches()
    {
        CultureInfo.CurrentUICulture = Ui.English;
        var field = Render<DateTimeField>(p => p.Add(x => x.Id, "due"));

        field.Find("input").Change("tomorrow");

        Assert.Contains("Vietnam time", field.Find("#due-format").TextContent);
        Assert.Contains("Not a date and time", field.Find("[role=alert]").TextContent);
    }
}
