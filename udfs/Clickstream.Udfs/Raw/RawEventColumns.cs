namespace Clickstream.Udfs.Raw;

/// <summary>
/// The rows of one raw-table data file, column by column: one array per column, filled by
/// <see cref="RawEventExtractor.Append"/>, valid in <c>[0, Count)</c>. Reused across files with <see cref="Clear"/>,
/// which keeps the arrays.
/// </summary>
/// <remarks>
/// <para>The arrays grow by doubling when a row does not fit, so each array property may return a new array after
/// an append: read them after the last append. Entries at and beyond <see cref="Count"/> mean nothing.</para>
/// <para>A nullable numeric column is a value array plus a <c>…IsNull</c> mask (true = null; the value is then 0).
/// Nullable string columns hold null entries. <see cref="Columns"/> lists the columns in table order.</para>
/// <para>Not thread-safe: one writer fills it, then hands it on.</para>
/// </remarks>
public sealed class RawEventColumns
{
    /// <summary>The capacity of a set created without one.</summary>
    public const int DefaultCapacity = 1024;

    private const int MinGrowth = 16;

    /// <summary>Creates an empty set with room for <paramref name="capacity"/> rows before it grows.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public RawEventColumns(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        EventId = new string[capacity];
        EventType = new string[capacity];
        EventTime = new long[capacity];
        UserId = new string[capacity];
        SessionId = new string[capacity];
        Page = new string?[capacity];
        Category = new string?[capacity];
        Device = new string?[capacity];
        ProductId = new string?[capacity];
        Price = new double[capacity];
        PriceIsNull = new bool[capacity];
        Quantity = new long[capacity];
        QuantityIsNull = new bool[capacity];
        OrderId = new string?[capacity];
        Referrer = new string?[capacity];
        UserAgent = new string?[capacity];
        SchemaVersion = new int[capacity];
        SchemaVersionIsNull = new bool[capacity];
        ClientIp = new string?[capacity];
        ReceivedAt = new long[capacity];
        ReceivedAtIsNull = new bool[capacity];
        Properties = new string[capacity];
    }

    /// <summary>The table's columns in order: name, type and nullability, for mapping to a schema.</summary>
    public static IReadOnlyList<RawColumn> Columns { get; } =
    [
        new("event_id", RawColumnType.String, IsNullable: false),
        new("event_type", RawColumnType.String, IsNullable: false),
        new("event_time", RawColumnType.Timestamp, IsNullable: false),
        new("user_id", RawColumnType.String, IsNullable: false),
        new("session_id", RawColumnType.String, IsNullable: false),
        new("page", RawColumnType.String, IsNullable: true),
        new("category", RawColumnType.String, IsNullable: true),
        new("device", RawColumnType.String, IsNullable: true),
        new("product_id", RawColumnType.String, IsNullable: true),
        new("price", RawColumnType.Double, IsNullable: true),
        new("quantity", RawColumnType.Long, IsNullable: true),
        new("order_id", RawColumnType.String, IsNullable: true),
        new("referrer", RawColumnType.String, IsNullable: true),
        new("user_agent", RawColumnType.String, IsNullable: true),
        new("schema_version", RawColumnType.Integer, IsNullable: true),
        new("client_ip", RawColumnType.String, IsNullable: true),
        new("received_at", RawColumnType.Timestamp, IsNullable: true),
        new("properties", RawColumnType.String, IsNullable: false),
    ];

    /// <summary>The names of <see cref="Columns"/>, in the same order.</summary>
    public static IReadOnlyList<string> ColumnNames { get; } = [.. Columns.Select(c => c.Name)];

    /// <summary>Rows held; the arrays are valid in <c>[0, Count)</c>.</summary>
    public int Count { get; private set; }

    /// <summary>Rows that fit before the arrays grow.</summary>
    public int Capacity => EventId.Length;

    /// <summary><c>event_id</c>: never null or empty.</summary>
    public string[] EventId { get; private set; }

    /// <summary><c>event_type</c>: never null or empty. Repeated values share one instance.</summary>
    public string[] EventType { get; private set; }

    /// <summary><c>event_time</c>: the event's <c>timestamp</c>, UTC microseconds since the Unix epoch.</summary>
    public long[] EventTime { get; private set; }

    /// <summary><c>user_id</c>: never null or empty.</summary>
    public string[] UserId { get; private set; }

    /// <summary><c>session_id</c>: never null or empty.</summary>
    public string[] SessionId { get; private set; }

    /// <summary><c>page</c>.</summary>
    public string?[] Page { get; private set; }

    /// <summary><c>category</c>.</summary>
    public string?[] Category { get; private set; }

    /// <summary><c>device</c>.</summary>
    public string?[] Device { get; private set; }

    /// <summary><c>product_id</c>.</summary>
    public string?[] ProductId { get; private set; }

    /// <summary><c>price</c> values; see <see cref="PriceIsNull"/>.</summary>
    public double[] Price { get; private set; }

    /// <summary>Where <c>price</c> is null.</summary>
    public bool[] PriceIsNull { get; private set; }

    /// <summary><c>quantity</c> values; see <see cref="QuantityIsNull"/>.</summary>
    public long[] Quantity { get; private set; }

    /// <summary>Where <c>quantity</c> is null.</summary>
    public bool[] QuantityIsNull { get; private set; }

    /// <summary><c>order_id</c>.</summary>
    public string?[] OrderId { get; private set; }

    /// <summary><c>referrer</c>.</summary>
    public string?[] Referrer { get; private set; }

    /// <summary><c>user_agent</c>.</summary>
    public string?[] UserAgent { get; private set; }

    /// <summary><c>schema_version</c> values; see <see cref="SchemaVersionIsNull"/>.</summary>
    public int[] SchemaVersion { get; private set; }

    /// <summary>Where <c>schema_version</c> is null.</summary>
    public bool[] SchemaVersionIsNull { get; private set; }

    /// <summary><c>client_ip</c>.</summary>
    public string?[] ClientIp { get; private set; }

    /// <summary><c>received_at</c> values, UTC microseconds since the Unix epoch; see <see cref="ReceivedAtIsNull"/>.</summary>
    public long[] ReceivedAt { get; private set; }

    /// <summary>Where <c>received_at</c> is null.</summary>
    public bool[] ReceivedAtIsNull { get; private set; }

    /// <summary><c>properties</c>: compact JSON object text, <c>{}</c> when the event has nothing to put there.</summary>
    public string[] Properties { get; private set; }

    /// <summary>Forgets every row but keeps the arrays, and drops their string references so they can be collected.</summary>
    public void Clear()
    {
        var n = Count;
        Array.Clear(EventId, 0, n);
        Array.Clear(EventType, 0, n);
        Array.Clear(UserId, 0, n);
        Array.Clear(SessionId, 0, n);
        Array.Clear(Page, 0, n);
        Array.Clear(Category, 0, n);
        Array.Clear(Device, 0, n);
        Array.Clear(ProductId, 0, n);
        Array.Clear(OrderId, 0, n);
        Array.Clear(Referrer, 0, n);
        Array.Clear(UserAgent, 0, n);
        Array.Clear(ClientIp, 0, n);
        Array.Clear(Properties, 0, n);
        Count = 0;
    }

    /// <summary>Grows the arrays, if needed, so that <paramref name="capacity"/> rows fit.</summary>
    public void EnsureCapacity(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        if (capacity > Capacity)
        {
            Resize(capacity);
        }
    }

    /// <summary>Appends a complete row; only the extractor calls this, after reading the whole line.</summary>
    internal void Add(ref RawRow row, string properties)
    {
        var i = Count;
        if (i == Capacity)
        {
            Resize(Math.Max(MinGrowth, (int)Math.Min(Array.MaxLength, 2L * i)));
        }

        EventId[i] = row.Text[(int)RawField.EventId]!;
        EventType[i] = row.Text[(int)RawField.EventType]!;
        EventTime[i] = row.EventTime;
        UserId[i] = row.Text[(int)RawField.UserId]!;
        SessionId[i] = row.Text[(int)RawField.SessionId]!;
        Page[i] = row.Text[(int)RawField.Page];
        Category[i] = row.Text[(int)RawField.Category];
        Device[i] = row.Text[(int)RawField.Device];
        ProductId[i] = row.Text[(int)RawField.ProductId];
        Price[i] = row.HasPrice ? row.Price : 0;
        PriceIsNull[i] = !row.HasPrice;
        Quantity[i] = row.HasQuantity ? row.Quantity : 0;
        QuantityIsNull[i] = !row.HasQuantity;
        OrderId[i] = row.Text[(int)RawField.OrderId];
        Referrer[i] = row.Text[(int)RawField.Referrer];
        UserAgent[i] = row.Text[(int)RawField.UserAgent];
        SchemaVersion[i] = row.HasSchemaVersion ? row.SchemaVersion : 0;
        SchemaVersionIsNull[i] = !row.HasSchemaVersion;
        ClientIp[i] = row.Text[(int)RawField.ClientIp];
        ReceivedAt[i] = row.HasReceivedAt ? row.ReceivedAt : 0;
        ReceivedAtIsNull[i] = !row.HasReceivedAt;
        Properties[i] = properties;
        Count = i + 1;
    }

    private void Resize(int capacity)
    {
        EventId = Grown(EventId, capacity);
        EventType = Grown(EventType, capacity);
        EventTime = Grown(EventTime, capacity);
        UserId = Grown(UserId, capacity);
        SessionId = Grown(SessionId, capacity);
        Page = Grown(Page, capacity);
        Category = Grown(Category, capacity);
        Device = Grown(Device, capacity);
        ProductId = Grown(ProductId, capacity);
        Price = Grown(Price, capacity);
        PriceIsNull = Grown(PriceIsNull, capacity);
        Quantity = Grown(Quantity, capacity);
        QuantityIsNull = Grown(QuantityIsNull, capacity);
        OrderId = Grown(OrderId, capacity);
        Referrer = Grown(Referrer, capacity);
        UserAgent = Grown(UserAgent, capacity);
        SchemaVersion = Grown(SchemaVersion, capacity);
        SchemaVersionIsNull = Grown(SchemaVersionIsNull, capacity);
        ClientIp = Grown(ClientIp, capacity);
        ReceivedAt = Grown(ReceivedAt, capacity);
        ReceivedAtIsNull = Grown(ReceivedAtIsNull, capacity);
        Properties = Grown(Properties, capacity);
    }

    private T[] Grown<T>(T[] array, int capacity)
    {
        // Only the rows held are copied: the rest of the old array means nothing.
        var grown = new T[capacity];
        Array.Copy(array, grown, Count);
        return grown;
    }
}
