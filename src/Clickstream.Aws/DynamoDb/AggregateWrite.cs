namespace Clickstream.Aws.DynamoDb;

/// <summary>One item write: the row, its keys, its TTL and the (query, batch) it carries as its remembered batch.</summary>
/// <param name="Partition">The partition key.</param>
/// <param name="Sort">The sort key.</param>
/// <param name="Hashed">The sort key is a hash; the dimension goes into its own attribute.</param>
/// <param name="Row">The row (additive rows are added to the stored value, absolute ones replace it).</param>
/// <param name="TtlSeconds">The TTL attribute, epoch seconds.</param>
/// <param name="QueryId">The writing query.</param>
/// <param name="BatchId">The writing batch.</param>
internal readonly record struct AggregateWrite(string Partition, string Sort, bool Hashed, DynamoRow Row, long TtlSeconds, string QueryId, long BatchId);
