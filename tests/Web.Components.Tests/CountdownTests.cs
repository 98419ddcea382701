using Microsoft.Extensions.Time.Testing;
using ParPlatform.Web.Features.Scorecard;

namespace ParPlatform.Web.Components.Tests;

/// <summary>The scorecard's countdown to the lock: it ticks, says when the window closed, and tells the page once.</summary>
public class CountdownTests : ConsoleComponentTest
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 31, 9, 58, 0, TimeSpan.Zero));

    public CountdownTests() => Services.AddSingleton<TimeProvider>(clock);

    [Fact]
    public void Counts_down_each_second_and_locks_once_at_the_deadline()
    {
        var closed = 0;
        var deadline = clock.GetUtcNow().AddMinutes(2);
        var countdown = Render<Countdown>(p => p.Add(x => x.Deadline, deadline).Add(x => x.OnClosed, () => closed++));

        Assert.Equal("còn 2 phút 0 giây", countdown.Find("[data-testid=countdown]").TextContent);
        clock.Advance(TimeSpan.FromSeconds(61));
        countdown.WaitForAssertion(() => Assert.Equal("còn 0 phút 59 giây", countdown.Find("[data-testid=countdown]").TextContent));
        Assert.Equal(0, closed);

        clock.Advance(TimeSpan.FromSeconds(59));
        countdown.WaitForAssertion(() => Assert.Equal("đã hết hạn", countdown.Find("[data-testid=countdown]").TextContent));
        Assert.Contains("countdown-closed", countdown.Find("[data-testid=countdown]").ClassList);
        Assert.Equal(1, closed);

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, closed);
    }

    [Fact]
    public void A_page_opened_after_the_deadline_is_locked_at_once_and_nothing_ticks()
    {
        var countdown = Render<Countdown>(p => p.Add(x => x.Deadline, clock.GetUtcNow().AddSeconds(-1)));

        Assert.Equal("đã hết hạn", countdown.Find("[data-testid=countdown]").TextContent);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, countdown.RenderCount);
    }

    [Fact]
    public void Renders_only_when_its_text_changes()
    {
        // More than an hour left: the text counts minutes, so the seconds in between wake nothing.
        var countdown = Render<Countdown>(p => p.Add(x => x.Deadline, clock.GetUtcNow().AddHours(3).AddSeconds(30)));
        Assert.Equal("còn 3 giờ 0 phút", countdown.Find("[data-testid=countdown]").TextContent);

        for (var second = 0; second < 29; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(1, countdown.RenderCount);
        clock.Advance(TimeSpan.FromSeconds(2));
        countdown.WaitForAssertion(() => Assert.Equal("còn 2 giờ 59 phút", countdown.Find("[data-testid=countdown]").TextContent));
        Assert.Equal(2, countdown.RenderCount);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, countdown.RenderCount);
    }
}
