namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// One aggregate row as the DynamoDB store writes and reads it (its own type: this library cannot see the jobs'
/// rows). <see cref="Key"/> is the dimension, empty for metrics without one. An absolute row carries the window's
/// whole new value (update-mode output); an additive row (<see cref="Additive"/>) is a delta summed into the stored
/// value (the ledger). <see cref="Additive"/> means nothing on rows read back.
/// </summary>
internal readonly record struct DynamoRow(string Metric, long WindowStartMicros, long WindowEndMicros, string Key, long Value, byte[]? Sketch, bool Additive);
