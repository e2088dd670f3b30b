using System.Globalization;
using System.Text.Json;

namespace Clickstream.Jobs.Generate;

/// <summary>
/// Writes the fields that depend on the kind of step (page, category, product, price, order, referrer,
/// properties) and moves the session's state along: the product being looked at and the cart.
/// </summary>
internal sealed class StepWriter(ShopCatalog catalog, Xoshiro256StarStar random)
{
    private const long FreeShippingCents = 5000;
    private const long ShippingCents = 499;

    private static readonly JsonEncodedText HomePage = EncodedText.Encode(ShopCatalog.Site + "/");
    private static readonly JsonEncodedText SearchPage = EncodedText.Encode(ShopCatalog.Site + "/search");
    private static readonly JsonEncodedText CartPage = EncodedText.Encode(ShopCatalog.Site + "/cart");
    private static readonly JsonEncodedText CheckoutPage = EncodedText.Encode(ShopCatalog.Site + "/checkout");
    private static readonly JsonEncodedText ConfirmationPage = EncodedText.Encode(ShopCatalog.Site + "/checkout/confirmation");
    private static readonly JsonEncodedText[] ShareChannels = EncodedText.Encode(["whatsapp", "email", "copy_link", "facebook"]);

    private long _orders;

    public void Write(Utf8JsonWriter json, Session session, StepKind step, string? unknownType)
    {
        switch (step)
        {
            case StepKind.PageView:
                WritePageView(json, session);
                break;
            case StepKind.Search:
                WriteSearch(json, session);
                break;
            case StepKind.ProductView:
                session.CurrentProduct = catalog.PickProduct(random);
                WriteProduct(json, session, session.CurrentProduct, quantity: 0, catalog.ProductPages[session.CurrentProduct]);
                json.WriteStartObject("properties"u8);
                json.WriteString("list"u8, random.Pick(ShopCatalog.ProductLists));
                json.WriteNumber("position"u8, random.Next(1, 25));
                json.WriteEndObject();
                break;
            case StepKind.AddToCart:
                WriteCartChange(json, session, adding: true);
                break;
            case StepKind.RemoveFromCart:
                WriteCartChange(json, session, adding: false);
                break;
            case StepKind.CheckoutStart:
                WritePage(json, session, CheckoutPage);
                WriteMoney(json, "price"u8, session.CartCents);
                json.WriteNumber("quantity"u8, session.CartItems);
                json.WriteStartObject("properties"u8);
                json.WriteString("step"u8, "shipping"u8);
                json.WriteEndObject();
                break;
            case StepKind.Purchase:
                WritePurchase(json, session);
                break;
            default:
                WriteUnknown(json, session, unknownType);
                break;
        }
    }

    private void WritePageView(Utf8JsonWriter json, Session session)
    {
        var landing = session.LastPage is null;
        var referrer = landing && session.Referrer >= 0 ? TrafficSources.EncodedReferrers[session.Referrer] : session.LastPage;
        var u = random.NextDouble();
        var home = u < (landing ? 0.15 : 0.06);
        var category = -1;
        JsonEncodedText page;
        if (home)
        {
            page = HomePage;
        }
        else if (!landing && u < 0.12)
        {
            page = random.Pick(ShopCatalog.OtherPages);
        }
        else
        {
            category = landing || random.Chance(0.6) ? session.Interest : catalog.PickCategory(random);
            page = catalog.CategoryPages[category];
        }

        WritePage(json, session, page);
        if (category >= 0)
        {
            json.WriteString("category"u8, ShopCatalog.EncodedCategories[category]);
        }

        if (referrer is { } from)
        {
            json.WriteString("referrer"u8, from);
        }

        json.WriteStartObject("properties"u8);
        if (category >= 0)
        {
            json.WriteString("title"u8, catalog.CategoryTitles[category]);
        }
        else
        {
            json.WriteString("title"u8, home ? "Welcome"u8 : "Shop"u8);
        }

        json.WriteNumber("load_ms"u8, random.Next(80, 2500));
        if (landing && TrafficSources.Campaign(session.Referrer) is { } campaign)
        {
            json.WriteStartObject("utm"u8);
            json.WriteString("source"u8, campaign.Source);
            json.WriteString("medium"u8, campaign.Medium);
            json.WriteString("campaign"u8, "black-friday-2026"u8);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private void WriteSearch(Utf8JsonWriter json, Session session)
    {
        var category = random.Chance(0.8) ? session.Interest : catalog.PickCategory(random);
        WritePage(json, session, SearchPage);
        json.WriteStartObject("properties"u8);
        json.WriteString("query"u8, ShopCatalog.PickQuery(random, category));
        json.WriteNumber("results"u8, random.Next(0, 240));
        json.WriteEndObject();
    }

    private void WriteCartChange(Utf8JsonWriter json, Session session, bool adding)
    {
        int product;
        int quantity;
        if (adding)
        {
            product = session.CurrentProduct >= 0 ? session.CurrentProduct : catalog.PickProduct(random);
            quantity = random.Chance(0.85) ? 1 : 2;
            (session.LastAddedProduct, session.LastAddedQuantity) = (product, quantity);
        }
        else
        {
            product = session.LastAddedProduct >= 0 ? session.LastAddedProduct : catalog.PickProduct(random);
            quantity = Math.Max(1, session.LastAddedQuantity);
        }

        var sign = adding ? 1 : -1;
        session.CartItems = Math.Max(0, session.CartItems + (sign * quantity));
        session.CartCents = Math.Max(0, session.CartCents + (sign * quantity * catalog.ProductPriceCents[product]));

        WriteProduct(json, session, product, quantity, adding ? catalog.ProductPages[product] : CartPage);
        json.WriteStartObject("properties"u8);
        json.WriteNumber("cart_items"u8, session.CartItems);
        json.WriteEndObject();
    }

    private void WritePurchase(Utf8JsonWriter json, Session session)
    {
        Span<byte> orderId = stackalloc byte[16];
        "o-"u8.CopyTo(orderId);
        (++_orders).TryFormat(orderId[2..], out var digits, "D8", CultureInfo.InvariantCulture);
        var shipping = session.CartCents >= FreeShippingCents ? 0 : ShippingCents;

        WritePage(json, session, ConfirmationPage);
        WriteMoney(json, "price"u8, session.CartCents + shipping);
        json.WriteNumber("quantity"u8, session.CartItems);
        json.WriteString("order_id"u8, orderId[..(2 + digits)]);
        json.WriteStartObject("properties"u8);
        json.WriteString("payment_method"u8, random.Pick(ShopCatalog.PaymentMethods));
        json.WriteString("currency"u8, "EUR"u8);
        WriteMoney(json, "shipping"u8, shipping);
        json.WriteEndObject();
        (session.CartItems, session.CartCents) = (0, 0);
    }

    private void WriteUnknown(Utf8JsonWriter json, Session session, string? type)
    {
        if (type == "wishlist_add")
        {
            var product = session.CurrentProduct >= 0 ? session.CurrentProduct : catalog.PickProduct(random);
            WriteProduct(json, session, product, 0, catalog.ProductPages[product]);
            return;
        }

        WritePage(json, session, session.LastPage ?? HomePage);
        json.WriteStartObject("properties"u8);
        switch (type)
        {
            case "video_play":
                Span<byte> video = stackalloc byte[8];
                "v-"u8.CopyTo(video);
                random.Next(1, 400).TryFormat(video[2..], out var digits, "D4", CultureInfo.InvariantCulture);
                json.WriteString("video_id"u8, video[..(2 + digits)]);
                json.WriteNumber("position_s"u8, random.Next(0, 180));
                break;
            case "share_click":
                json.WriteString("channel"u8, random.Pick(ShareChannels));
                break;
            default:
                json.WriteString("source"u8, "footer"u8);
                json.WriteStartObject("consent"u8);
                json.WriteBoolean("marketing"u8, true);
                json.WriteNumber("version"u8, 3);
                json.WriteEndObject();
                break;
        }

        json.WriteEndObject();
    }

    /// <summary>The page, category, product and unit price of a product step; quantity 0 is left out.</summary>
    private void WriteProduct(Utf8JsonWriter json, Session session, int product, int quantity, JsonEncodedText page)
    {
        WritePage(json, session, page);
        json.WriteString("category"u8, ShopCatalog.EncodedCategories[catalog.ProductCategory[product]]);
        json.WriteString("product_id"u8, catalog.ProductIds[product]);
        WriteMoney(json, "price"u8, catalog.ProductPriceCents[product]);
        if (quantity > 0)
        {
            json.WriteNumber("quantity"u8, quantity);
        }
    }

    private static void WritePage(Utf8JsonWriter json, Session session, JsonEncodedText page)
    {
        json.WriteString("page"u8, page);
        session.LastPage = page;
    }

    /// <summary>Writes cents as a plain decimal number (19.99, 19.9, 20), formatted by hand because decimal is slow.</summary>
    private static void WriteMoney(Utf8JsonWriter json, ReadOnlySpan<byte> name, long cents)
    {
        Span<byte> text = stackalloc byte[24];
        (cents / 100).TryFormat(text, out var length, provider: CultureInfo.InvariantCulture);
        var fraction = (int)(cents % 100);
        if (fraction != 0)
        {
            text[length++] = (byte)'.';
            text[length++] = (byte)('0' + (fraction / 10));
            if (fraction % 10 != 0)
            {
                text[length++] = (byte)('0' + (fraction % 10));
            }
        }

        json.WritePropertyName(name);
        json.WriteRawValue(text[..length], skipInputValidation: true);
    }
}
