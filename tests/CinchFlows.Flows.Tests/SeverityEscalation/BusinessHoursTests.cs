using CinchFlows.Flows.SeverityEscalation;

namespace CinchFlows.Flows.Tests.SeverityEscalation;

public sealed class BusinessHoursTests
{
    private static readonly TimeSpan Nine = TimeSpan.FromHours(9);
    private static readonly TimeSpan Six = TimeSpan.FromHours(18);

    [Theory]
    [InlineData("2026-11-23T15:00:00Z", "2026-11-23T15:00:00Z")] // 09:00 CST: open
    [InlineData("2026-11-23T14:59:59Z", "2026-11-23T15:00:00Z")] // 08:59:59: opens in a second
    [InlineData("2026-11-23T23:59:59Z", "2026-11-23T23:59:59Z")] // 17:59:59: still open
    [InlineData("2026-11-24T00:00:00Z", "2026-11-24T15:00:00Z")] // 18:00: closed until tomorrow 09:00
    [InlineData("2026-03-08T00:30:00Z", "2026-03-08T14:00:00Z")] // Sat 18:30 CST → Sun 09:00 CDT (UTC-5) after spring forward
    [InlineData("2026-10-31T23:30:00Z", "2026-11-01T15:00:00Z")] // Sat 18:30 CDT → Sun 09:00 CST (UTC-6) after fall back
    public void NextOpening_InChicago(string nowUtc, string expectedUtc)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");

        var opening = BusinessHours.NextOpening(DateTime.Parse(nowUtc, null, System.Globalization.DateTimeStyles.AdjustToUniversal), zone, Nine, Six);

        Assert.Equal(DateTime.Parse(expectedUtc, null, System.Globalization.DateTimeStyles.AdjustToUniversal), opening);
        Assert.Equal(DateTimeKind.Utc, opening.Kind);
    }

    [Fact]
    public void NextOpening_SkippedLocalTime_TakesTheFirstValidMinute()
    {
        // A window opening at 02:30 on the night New York skips 02:00-03:00 opens at 03:00 EDT (07:00 UTC).
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        var opening = BusinessHours.NextOpening(new DateTime(2026, 3, 8, 5, 0, 0, DateTimeKind.Utc), zone, TimeSpan.FromHours(2.5), Six);

        Assert.Equal(new DateTime(2026, 3, 8, 7, 0, 0, DateTimeKind.Utc), opening);
    }

    [Fact]
    public void NextOpening_AmbiguousLocalTime_TakesTheEarlierInstant()
    {
        // 01:30 happens twice in New York on 1 November 2026: first at EDT (05:30 UTC), then at EST (06:30 UTC).
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        var opening = BusinessHours.NextOpening(new DateTime(2026, 11, 1, 3, 0, 0, DateTimeKind.Utc), zone, TimeSpan.FromHours(1.5), Six);

        Assert.Equal(new DateTime(2026, 11, 1, 5, 30, 0, DateTimeKind.Utc), opening);
    }
}
