using Clickstream.Delta.Log;

namespace Clickstream.Delta.Table;

/// <summary>What this library can read and write: reader version 1, writer version 2, no table features.</summary>
public static class ProtocolSupport
{
    /// <summary>Fails with a clear error unless the table can be read.</summary>
    public static void EnsureReadable(ProtocolAction protocol, string table)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (protocol.MinReaderVersion > 1)
        {
            var features = protocol.ReaderFeatures is { Count: > 0 } f ? $" (reader features: {string.Join(", ", f)})" : "";
            throw new DeltaFormatException(
                $"{table}: the table needs Delta reader version {protocol.MinReaderVersion}{features}; this reader supports version 1 only " +
                "(no column mapping, deletion vectors or other reader features)");
        }
    }

    /// <summary>Fails with a clear error unless the table can be written (checked before every commit).</summary>
    public static void EnsureWritable(ProtocolAction protocol, MetadataAction metadata, string table)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(metadata);
        EnsureReadable(protocol, table);
        if (protocol.MinWriterVersion > 2)
        {
            var features = protocol.WriterFeatures is { Count: > 0 } f ? $" (writer features: {string.Join(", ", f)})" : "";
            throw new DeltaFormatException($"{table}: the table needs Delta writer version {protocol.MinWriterVersion}{features}; this writer supports version 2 only");
        }

        foreach (var field in metadata.Schema.Fields)
        {
            if (field.Metadata is { } m && m.ContainsKey("delta.invariants"))
            {
                throw new DeltaFormatException($"{table}: column '{field.Name}' has a delta.invariants constraint, which this writer does not enforce");
            }
        }
    }

    /// <summary>Whether the table refuses removes of data (<c>delta.appendOnly=true</c>).</summary>
    public static bool IsAppendOnly(MetadataAction metadata) =>
        string.Equals(metadata?.Property("delta.appendOnly"), "true", StringComparison.OrdinalIgnoreCase);
}
