using Clickstream.Delta.Types;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// The column layout of a classic (V1) checkpoint as Spark 3.x / Delta 3.x writes it (protocol notes §4): one
/// nullable struct column per action type, fields in Spark's order, deletion-vector and row-tracking fields present.
/// </summary>
internal static class CheckpointSchema
{
    /// <summary>Column index of <c>txn</c>.</summary>
    public const int Txn = 0;

    /// <summary>Column index of <c>add</c>.</summary>
    public const int Add = 1;

    /// <summary>Column index of <c>remove</c>.</summary>
    public const int Remove = 2;

    /// <summary>Column index of <c>metaData</c>.</summary>
    public const int MetaData = 3;

    /// <summary>Column index of <c>protocol</c>.</summary>
    public const int Protocol = 4;

    /// <summary>Column index of <c>domainMetadata</c>.</summary>
    public const int DomainMetadata = 5;

    private static readonly MapType StringMap = new(PrimitiveType.String, PrimitiveType.String);

    private static readonly ArrayType StringArray = new(PrimitiveType.String);

    private static readonly StructType DeletionVector = Struct(
        ("storageType", PrimitiveType.String),
        ("pathOrInlineDv", PrimitiveType.String),
        ("offset", PrimitiveType.Integer),
        ("sizeInBytes", PrimitiveType.Integer),
        ("cardinality", PrimitiveType.Long),
        ("maxRowIndex", PrimitiveType.Long));

    /// <summary>The checkpoint schema.</summary>
    public static StructType Schema { get; } = Struct(
        ("txn", Struct(("appId", PrimitiveType.String), ("version", PrimitiveType.Long), ("lastUpdated", PrimitiveType.Long))),
        ("add", Struct(
            ("path", PrimitiveType.String),
            ("partitionValues", StringMap),
            ("size", PrimitiveType.Long),
            ("modificationTime", PrimitiveType.Long),
            ("dataChange", PrimitiveType.Boolean),
            ("tags", StringMap),
            ("deletionVector", DeletionVector),
            ("baseRowId", PrimitiveType.Long),
            ("defaultRowCommitVersion", PrimitiveType.Long),
            ("stats", PrimitiveType.String))),
        ("remove", Struct(
            ("path", PrimitiveType.String),
            ("deletionTimestamp", PrimitiveType.Long),
            ("dataChange", PrimitiveType.Boolean),
            ("extendedFileMetadata", PrimitiveType.Boolean),
            ("partitionValues", StringMap),
            ("size", PrimitiveType.Long),
            ("deletionVector", DeletionVector),
            ("baseRowId", PrimitiveType.Long),
            ("defaultRowCommitVersion", PrimitiveType.Long))),
        ("metaData", Struct(
            ("id", PrimitiveType.String),
            ("name", PrimitiveType.String),
            ("description", PrimitiveType.String),
            ("format", Struct(("provider", PrimitiveType.String), ("options", StringMap))),
            ("schemaString", PrimitiveType.String),
            ("partitionColumns", StringArray),
            ("configuration", StringMap),
            ("createdTime", PrimitiveType.Long))),
        ("protocol", Struct(
            ("minReaderVersion", PrimitiveType.Integer),
            ("minWriterVersion", PrimitiveType.Integer),
            ("readerFeatures", StringArray),
            ("writerFeatures", StringArray))),
        ("domainMetadata", Struct(("domain", PrimitiveType.String), ("configuration", PrimitiveType.String), ("removed", PrimitiveType.Boolean))));

    private static StructType Struct(params (string Name, DeltaType Type)[] fields)
    {
        var result = new StructField[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            result[i] = new StructField(fields[i].Name, fields[i].Type);
        }

        return new StructType(result);
    }
}
