using Clickstream.Jobs.Generate;

namespace Clickstream.Jobs.Tests.Generate;

public sealed class SessionScheduleTests
{
    private const long Start = 1_793_534_400_000_000;

    [Fact]
    public void TakeDue_NothingDue_ReturnsNull()
    {
        var schedule = new SessionSchedule(Start);
        schedule.Add(NewSession(), Start + 5_000_000);

        Assert.Null(schedule.TakeDue(Start + 4_000_000));
        Assert.Equal(1, schedule.Count);
    }

    [Fact]
    public void TakeDue_SeveralDue_EarliestFirstThenInsertionOrder()
    {
        var schedule = new SessionSchedule(Start);
        var (late, early, sameBucketFirst, sameBucketSecond) = (NewSession(), NewSession(), NewSession(), NewSession());
        schedule.Add(late, Start + 9_000_000);
        schedule.Add(sameBucketFirst, Start + 3_010_000);
        schedule.Add(early, Start + 1_000_000);
        schedule.Add(sameBucketSecond, Start + 3_000_000);

        var now = Start + 10_000_000;
        Assert.Same(early, schedule.TakeDue(now));
        Assert.Same(sameBucketFirst, schedule.TakeDue(now));
        Assert.Same(sameBucketSecond, schedule.TakeDue(now));
        Assert.Same(late, schedule.TakeDue(now));
        Assert.Null(schedule.TakeDue(now));
        Assert.Equal(0, schedule.Count);
    }

    [Fact]
    public void Add_OverdueTime_IsTakenAtOnce()
    {
        var schedule = new SessionSchedule(Start);
        schedule.Add(NewSession(), Start + 60_000_000);
        Assert.NotNull(schedule.TakeDue(Start + 60_000_000));

        var overdue = NewSession();
        schedule.Add(overdue, Start);

        Assert.Same(overdue, schedule.TakeDue(Start + 60_000_000));
    }

    [Fact]
    public void Add_BeyondSpan_ComesDueAtEndOfSpan()
    {
        var schedule = new SessionSchedule(Start);
        var far = NewSession();
        schedule.Add(far, Start + 3_600_000_000);

        Assert.Null(schedule.TakeDue(Start + 400_000_000));
        Assert.Same(far, schedule.TakeDue(Start + 410_000_000));
    }

    [Fact]
    public void TakeDue_EmptyForLong_AcceptsSessionsFarFromStart()
    {
        var schedule = new SessionSchedule(Start);
        Assert.Null(schedule.TakeDue(Start + 3_600_000_000));
        var session = NewSession();

        schedule.Add(session, Start + 3_630_000_000);

        Assert.Null(schedule.TakeDue(Start + 3_620_000_000));
        Assert.Same(session, schedule.TakeDue(Start + 3_630_000_000));
    }

    private static Session NewSession() =>
        new(1, 2, user: 0, device: 0, TrafficSources.EncodedUserAgents[0][0], [StepKind.PageView]);
}
