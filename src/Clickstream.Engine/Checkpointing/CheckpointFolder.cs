namespace Clickstream.Engine.Checkpointing;

/// <summary>
/// A folder of a checkpoint store: the store and a key prefix. Operators and sources get one for their own files.
/// A plain string converts to a folder of a <see cref="LocalCheckpointStore"/> rooted at that path.
/// </summary>
/// <param name="Store">The store.</param>
/// <param name="Prefix">The folder's key prefix, without a trailing <c>/</c>; empty for the store's root.</param>
public readonly record struct CheckpointFolder(ICheckpointStore Store, string Prefix)
{
    /// <summary>A local folder.</summary>
    public static implicit operator CheckpointFolder(string localPath) => FromLocalPath(localPath);

    /// <summary>A local folder.</summary>
    public static CheckpointFolder FromLocalPath(string localPath) => new(new LocalCheckpointStore(localPath), string.Empty);

    /// <summary>The key of <paramref name="name"/> inside this folder.</summary>
    public string Key(string name) => Prefix.Length == 0 ? name : Prefix + "/" + name;

    /// <summary>A sub-folder.</summary>
    public CheckpointFolder Child(string name) => new(Store, Key(name));

    /// <summary>The folder's location for messages.</summary>
    public string Location => Store.Describe(Prefix);

    /// <summary>The location of one of its objects for messages.</summary>
    public string Describe(string name) => Store.Describe(Key(name));

    /// <summary>The names of the objects directly inside.</summary>
    public IReadOnlyList<string> List() => Store.List(Prefix);

    /// <summary>Reads an object, or null.</summary>
    public byte[]? Read(string name) => Store.Read(Key(name));

    /// <summary>Creates an object if absent.</summary>
    public bool TryCreate(string name, ReadOnlySpan<byte> content) => Store.TryCreate(Key(name), content);

    /// <summary>Creates or replaces an object.</summary>
    public void Write(string name, Action<Stream> write) => Store.Write(Key(name), write);

    /// <summary>Deletes an object.</summary>
    public bool Delete(string name) => Store.Delete(Key(name));

    /// <inheritdoc />
    public override string ToString() => Location;
}
