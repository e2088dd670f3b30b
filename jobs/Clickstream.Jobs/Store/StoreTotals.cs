namespace Clickstream.Jobs.Store;

/// <summary>The event ledger of a range: counted events and the duplicate, invalid and late ones.</summary>
internal readonly record struct StoreTotals(long Events, long Duplicates, long Invalid, long Late);
