namespace CinchFlows.Flows.SeverityEscalation;

/// <summary>A provider's local business hours (Service Provider Assignment Guidelines: call only between 9 AM and 6 PM their time).</summary>
internal static class BusinessHours
{
    /// <summary>
    /// <paramref name="utc"/> itself when the provider's local time is inside [<paramref name="open"/>, <paramref name="close"/>),
    /// else the UTC instant the window next opens. Daylight-saving changes are the zone's: an opening time that the
    /// clock skips is taken as the first valid local time after it.
    /// </summary>
    public static DateTime NextOpening(DateTime utc, TimeZoneInfo zone, TimeSpan open, TimeSpan close)
    {
        ArgumentNullException.ThrowIfNull(zone);
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        if (local.TimeOfDay >= open && local.TimeOfDay < close)
        {
            return utc;
        }

        var day = local.TimeOfDay < open ? local.Date : local.Date.AddDays(1);
        var opening = DateTime.SpecifyKind(day + open, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(opening))
        {
            opening = opening.AddMinutes(1);
        }

        // An ambiguous opening (clocks going back across it) takes the earlier instant: standard time's offset is the later one.
        var offsets = zone.IsAmbiguousTime(opening) ? zone.GetAmbiguousTimeOffsets(opening) : [zone.GetUtcOffset(opening)];
        var earliest = offsets.Select(offset => DateTime.SpecifyKind(opening - offset, DateTimeKind.Utc)).Min();
        return earliest;
    }

    /// <summary>The provider's local time of <paramref name="utc"/>, for status lines.</summary>
    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
}
