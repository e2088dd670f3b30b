namespace Clickstream.Delta.Maintenance;

/// <summary>A VACUUM retention shorter than the table's own was refused; nothing was deleted.</summary>
public sealed class UnsafeRetentionException(string message) : InvalidOperationException(message);
