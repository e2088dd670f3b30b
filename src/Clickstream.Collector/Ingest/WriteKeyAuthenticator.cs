using System.Security.Cryptography;
using System.Text;

namespace Clickstream.Collector.Ingest;

/// <summary>
/// Checks <c>Authorization: Bearer KEY</c> against the configured keys. Every key is compared, each in constant
/// time, so the answer's timing says nothing about which key or how much of it matched.
/// </summary>
internal sealed class WriteKeyAuthenticator
{
    private readonly (string App, byte[] Key)[] _keys;

    public WriteKeyAuthenticator(IReadOnlyList<WriteKey> keys)
    {
        _keys = new (string, byte[])[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            _keys[i] = (keys[i].App, Encoding.UTF8.GetBytes(keys[i].Key));
        }
    }

    /// <summary>The app the header's key belongs to, or null.</summary>
    public string? Authenticate(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var presented = authorization.AsSpan(scheme.Length).Trim();
        Span<byte> buffer = stackalloc byte[256];
        if (presented.Length == 0 || Encoding.UTF8.GetMaxByteCount(presented.Length) > buffer.Length)
        {
            return null;
        }

        var bytes = buffer[..Encoding.UTF8.GetBytes(presented, buffer)];
        string? app = null;
        foreach (var (name, key) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(bytes, key) && app is null)
            {
                app = name;
            }
        }

        return app;
    }
}
