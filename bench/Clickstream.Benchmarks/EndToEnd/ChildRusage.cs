using System.Runtime.InteropServices;

namespace Clickstream.Benchmarks.EndToEnd;

/// <summary>
/// <c>getrusage(RUSAGE_CHILDREN)</c>: the CPU time of all waited-for children (a sum, so the difference across
/// one child's run is that child's) and the largest peak RSS of any of them (a maximum, so it identifies a
/// child's peak only when it grows during that child's run). Linux only; null elsewhere or on failure.
/// </summary>
internal static class ChildRusage
{
    private const int RusageChildren = -1;

    public static Snapshot? Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return getrusage(RusageChildren, out var u) == 0
                ? new Snapshot(
                    TimeSpan.FromMicroseconds((double)((u.UserSeconds * 1_000_000) + u.UserMicros)),
                    TimeSpan.FromMicroseconds((double)((u.SystemSeconds * 1_000_000) + u.SystemMicros)),
                    u.MaxRssKilobytes * 1024)
                : null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);

    /// <summary>What the children used so far.</summary>
    public readonly record struct Snapshot(TimeSpan User, TimeSpan System, long MaxRssBytes)
    {
        public TimeSpan Cpu => User + System;
    }

    // struct rusage on 64-bit Linux: two timevals, then fourteen longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicros;
        public long SystemSeconds;
        public long SystemMicros;
        public long MaxRssKilobytes;
        public long SharedMemory;
        public long UnsharedData;
        public long UnsharedStack;
        public long MinorFaults;
        public long MajorFaults;
        public long Swaps;
        public long BlocksIn;
        public long BlocksOut;
        public long MessagesSent;
        public long MessagesReceived;
        public long Signals;
        public long VoluntarySwitches;
        public long InvoluntarySwitches;
    }
}
