namespace Clickstream.Jobs.Generate;

/// <summary>
/// Starts visits. About a third come from users seen earlier in the stream, who mostly return on the same
/// device and browser, so distinct users are fewer than sessions as on a real site.
/// </summary>
internal sealed class SessionFactory(Xoshiro256StarStar random, ShopCatalog catalog)
{
    private const double ReturningShare = 0.35;

    // Per known user, the device and user agent of their first visit, packed as device * 256 + agent index.
    private readonly List<int> _userDevices = [];
    private long _sessions;

    public int Users => _userDevices.Count;

    public long Sessions => _sessions;

    public Session Create(bool forceMobile = false)
    {
        int user;
        int device;
        int agent;
        // Early in the stream few users exist yet; ramping the share up avoids the first ones returning at once.
        var returning = ReturningShare * Math.Min(1.0, _userDevices.Count / 200.0);
        if (!forceMobile && random.Chance(returning))
        {
            user = random.Next(_userDevices.Count);
            device = _userDevices[user] >> 8;
            agent = _userDevices[user] & 0xFF;
            if (random.Chance(0.2))
            {
                device = TrafficSources.PickDevice(random);
                agent = random.Next(TrafficSources.UserAgents[device].Length);
            }
        }
        else
        {
            user = _userDevices.Count;
            device = forceMobile ? TrafficSources.Mobile : TrafficSources.PickDevice(random);
            agent = random.Next(TrafficSources.UserAgents[device].Length);
            _userDevices.Add((device << 8) | agent);
        }

        var inApp = TrafficSources.UserAgents[device][agent].StartsWith("ShopApp/", StringComparison.Ordinal);
        var referrer = random.Next(TrafficSources.Referrers.Length);
        var userAgent = TrafficSources.EncodedUserAgents[device][agent];
        _sessions++;
        return new Session(random.NextUInt64(), random.NextUInt64(), user, device, userAgent, SessionPlanner.Plan(random))
        {
            // The app has no web referrer; older app builds still send schema version 1.
            Referrer = inApp || TrafficSources.Referrers[referrer] is null ? -1 : referrer,
            SchemaVersion = inApp && random.Chance(0.3) ? 1 : 2,
            Experiment = random.Chance(0.1) ? random.Pick(ShopCatalog.Experiments) : null,
            Interest = catalog.PickCategory(random),
        };
    }
}
