using System.Net;
using System.Net.Sockets;

namespace Clickstream.Collector.Ingest;

/// <summary>
/// Anonymises a client address before it is stored: IPv4 keeps its first three octets (the last is zeroed), IPv6
/// keeps its first 48 bits (the last 80 are zeroed). IPv4-mapped IPv6 addresses are treated as IPv4.
/// </summary>
internal static class IpAnonymizer
{
    public static string Anonymize(IPAddress? address)
    {
        if (address is null)
        {
            return "";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            bytes[3] = 0;
        }
        else
        {
            bytes[6..16].Clear();
        }

        return new IPAddress(bytes[..length]).ToString();
    }
}
