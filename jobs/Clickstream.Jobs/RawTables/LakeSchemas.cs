using Clickstream.Delta.Types;

namespace Clickstream.Jobs.RawTables;

/// <summary>
/// The schemas of the lake's two tables (docs/analytics.md): <c>events</c>, every valid, non-duplicate event with
/// typed columns, partitioned by <c>event_date</c> (UTC date of the event time); and <c>quarantine</c>, every
/// invalid line with its reason, partitioned by <c>ingest_date</c>. Columns are only ever appended, nullable.
/// </summary>
internal static class LakeSchemas
{
    public const string EventsPartition = "event_date";
    public const string QuarantinePartition = "ingest_date";

    /// <summary>Low-cardinality string columns written with dictionary encoding.</summary>
    public static readonly IReadOnlyList<string> EventsDictionaryColumns = ["event_type", "page", "category", "device", "referrer", "user_agent"];

    public static readonly StructType Events = new([
        new StructField("event_id", PrimitiveType.String),
        new StructField("event_type", PrimitiveType.String),
        new StructField("event_time", PrimitiveType.Timestamp),
        new StructField("user_id", PrimitiveType.String),
        new StructField("session_id", PrimitiveType.String),
        new StructField("page", PrimitiveType.String),
        new StructField("category", PrimitiveType.String),
        new StructField("device", PrimitiveType.String),
        new StructField("product_id", PrimitiveType.String),
        new StructField("price", PrimitiveType.Double),
        new StructField("quantity", PrimitiveType.Long),
        new StructField("order_id", PrimitiveType.String),
        new StructField("referrer", PrimitiveType.String),
        new StructField("user_agent", PrimitiveType.String),
        new StructField("schema_version", PrimitiveType.Integer),
        new StructField("client_ip", PrimitiveType.String),
        new StructField("received_at", PrimitiveType.Timestamp),
        new StructField("properties", PrimitiveType.String),
        new StructField(EventsPartition, PrimitiveType.Date),
    ]);

    public static readonly StructType Quarantine = new([
        new StructField("raw_text", PrimitiveType.String),
        new StructField("reason", PrimitiveType.String),
        new StructField("detail", PrimitiveType.String),
        new StructField("event_time", PrimitiveType.Timestamp),
        new StructField("source_file", PrimitiveType.String),
        new StructField("source_offset", PrimitiveType.Long),
        new StructField("batch_id", PrimitiveType.Long),
        new StructField("ingest_time", PrimitiveType.Timestamp),
        new StructField(QuarantinePartition, PrimitiveType.Date),
    ]);
}
