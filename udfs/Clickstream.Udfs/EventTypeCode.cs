namespace Clickstream.Udfs;

/// <summary>
/// The event types the aggregations understand, as a byte so that per-type counters can be indexed arrays.
/// Every other type, including ones added to the trackers after this build, is <see cref="Other"/>.
/// </summary>
public enum EventTypeCode : byte
{
    /// <summary>Any event type that is not listed here; still valid, stored and counted as "other".</summary>
    Other = 0,

    /// <summary><c>page_view</c>: the first step of the conversion funnel.</summary>
    PageView,

    /// <summary><c>product_view</c>: counted for the top products and the funnel.</summary>
    ProductView,

    /// <summary><c>add_to_cart</c>.</summary>
    AddToCart,

    /// <summary><c>remove_from_cart</c>.</summary>
    RemoveFromCart,

    /// <summary><c>checkout_start</c>.</summary>
    CheckoutStart,

    /// <summary><c>purchase</c>: the last step of the conversion funnel.</summary>
    Purchase,

    /// <summary><c>search</c>.</summary>
    Search,
}
