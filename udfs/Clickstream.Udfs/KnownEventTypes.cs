namespace Clickstream.Udfs;

/// <summary>
/// Maps the UTF-8 bytes of an <c>event_type</c> to its shared name and code. The seven known names all have
/// different lengths, so a match costs one length switch and one byte comparison.
/// </summary>
internal static class KnownEventTypes
{
    public const string PageView = "page_view";
    public const string ProductView = "product_view";
    public const string AddToCart = "add_to_cart";
    public const string RemoveFromCart = "remove_from_cart";
    public const string CheckoutStart = "checkout_start";
    public const string Purchase = "purchase";
    public const string Search = "search";

    public static bool TryMatch(ReadOnlySpan<byte> utf8, out string name, out EventTypeCode code)
    {
        (name, code) = utf8.Length switch
        {
            9 when utf8.SequenceEqual("page_view"u8) => (PageView, EventTypeCode.PageView),
            12 when utf8.SequenceEqual("product_view"u8) => (ProductView, EventTypeCode.ProductView),
            11 when utf8.SequenceEqual("add_to_cart"u8) => (AddToCart, EventTypeCode.AddToCart),
            16 when utf8.SequenceEqual("remove_from_cart"u8) => (RemoveFromCart, EventTypeCode.RemoveFromCart),
            14 when utf8.SequenceEqual("checkout_start"u8) => (CheckoutStart, EventTypeCode.CheckoutStart),
            8 when utf8.SequenceEqual("purchase"u8) => (Purchase, EventTypeCode.Purchase),
            6 when utf8.SequenceEqual("search"u8) => (Search, EventTypeCode.Search),
            _ => (string.Empty, EventTypeCode.Other),
        };
        return code != EventTypeCode.Other;
    }
}
