namespace Clickstream.Aws.DynamoDb;

/// <summary>How the store writes absolute rows (additive rows are always conditional updates).</summary>
internal enum AbsoluteWriteMode
{
    /// <summary>
    /// BatchWriteItem puts of 25 items, unprocessed items retried. Safe for one writer per query: a replay writes the
    /// same values again, and a batch is only planned after the previous one committed (docs/formats/aggregate-store.md).
    /// </summary>
    BatchPut,

    /// <summary>One conditional UpdateItem per row, applied only when the row's remembered batch is older.</summary>
    ConditionalUpdate,
}
