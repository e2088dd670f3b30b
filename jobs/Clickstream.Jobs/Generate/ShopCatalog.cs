using System.Globalization;
using System.Text.Json;

namespace Clickstream.Jobs.Generate;

/// <summary>
/// The imaginary shop the sample traffic visits: categories with their share of traffic and price level,
/// products with a category, a price and a Zipf popularity rank, and the fixed vocabularies (pages, referrers,
/// user agents, search queries). Every string is built once here so that writing an event allocates nothing.
/// </summary>
internal sealed class ShopCatalog
{
    public const string Site = "https://shop.example.com";
    public const double ZipfExponent = 1.1;

    public static readonly string[] Categories =
        ["electronics", "fashion", "home", "beauty", "sports", "toys", "books", "grocery", "garden", "automotive", "health", "jewelry"];

    public static readonly JsonEncodedText[] EncodedCategories = EncodedText.Encode(Categories);

    public static readonly JsonEncodedText[] OtherPages =
        EncodedText.Encode([Site + "/deals", Site + "/help/shipping", Site + "/account/orders", Site + "/stores"]);

    public static readonly string[] UnknownEventTypes = ["video_play", "wishlist_add", "share_click", "newsletter_signup"];

    public static readonly JsonEncodedText[] Experiments =
        EncodedText.Encode(["exp-checkout-onepage", "exp-reco-carousel", "exp-free-shipping-banner"]);

    public static readonly JsonEncodedText[] ProductLists =
        EncodedText.Encode(["category", "search", "recommendations", "home", "recently_viewed"]);

    public static readonly JsonEncodedText[] PaymentMethods = EncodedText.Encode(["card", "card", "card", "paypal", "apple_pay", "klarna"]);

    // Share of traffic and a typical price in cents, aligned with Categories.
    private static readonly double[] CategoryWeights = [0.17, 0.16, 0.12, 0.09, 0.08, 0.07, 0.07, 0.07, 0.05, 0.04, 0.05, 0.03];
    private static readonly int[] CategoryPriceCents = [19900, 4900, 3900, 2400, 5900, 2900, 1500, 800, 3400, 4500, 1900, 9900];

    private static readonly string[][] Queries =
    [
        ["wireless earbuds", "27\" monitor", "usb-c charger", "4k tv"],
        ["linen shirt", "winter boots", "rain jacket"],
        ["coffee maker", "duvet cover", "desk lamp"],
        ["vitamin c serum", "sunscreen spf 50"],
        ["yoga mat", "running shoes", "dumbbells 10kg"],
        ["lego", "board games for kids"],
        ["cookbook", "fantasy novels", "kids books"],
        ["olive oil", "café crème", "espresso beans"],
        ["garden hose", "tomato seeds"],
        ["car phone holder", "dash cam"],
        ["electric toothbrush", "vitamin d"],
        ["silver necklace", "gold hoops"],
    ];

    private static readonly JsonEncodedText[][] EncodedQueries = Array.ConvertAll(Queries, EncodedText.Encode);

    private readonly double[] _categoryCumulative;
    private readonly int[] _productByRank;
    private readonly ZipfDistribution _popularity;

    public ShopCatalog(Xoshiro256StarStar random, int productCount)
    {
        _categoryCumulative = new double[CategoryWeights.Length];
        var sum = 0.0;
        for (var i = 0; i < CategoryWeights.Length; i++)
        {
            sum += CategoryWeights[i];
            _categoryCumulative[i] = sum;
        }

        CategoryPages = new JsonEncodedText[Categories.Length];
        CategoryTitles = new JsonEncodedText[Categories.Length];
        for (var i = 0; i < Categories.Length; i++)
        {
            CategoryPages[i] = EncodedText.Encode($"{Site}/c/{Categories[i]}");
            CategoryTitles[i] = EncodedText.Encode(string.Concat(Categories[i][..1].ToUpperInvariant(), Categories[i].AsSpan(1)));
        }

        ProductIds = new JsonEncodedText[productCount];
        ProductPages = new JsonEncodedText[productCount];
        ProductCategory = new int[productCount];
        ProductPriceCents = new long[productCount];
        for (var p = 0; p < productCount; p++)
        {
            var id = "p-" + (p + 1).ToString("D6", CultureInfo.InvariantCulture);
            ProductIds[p] = EncodedText.Encode(id);
            ProductPages[p] = EncodedText.Encode($"{Site}/p/{id}");
            ProductCategory[p] = PickCategory(random);

            // A skewed spread from a quarter to about three times the category's typical price, ending in .99.
            var factor = 0.25 + (2.75 * random.NextDouble() * random.NextDouble());
            ProductPriceCents[p] = (Math.Max(1, (long)(CategoryPriceCents[ProductCategory[p]] * factor / 100)) * 100) - 1;
        }

        // Popularity ranks are shuffled over the ids so that p-000001 is not always the best seller.
        _productByRank = new int[productCount];
        for (var i = 0; i < productCount; i++)
        {
            var j = random.Next(i + 1);
            _productByRank[i] = _productByRank[j];
            _productByRank[j] = i;
        }

        _popularity = new ZipfDistribution(productCount, ZipfExponent);
    }

    public JsonEncodedText[] CategoryPages { get; }

    public JsonEncodedText[] CategoryTitles { get; }

    public JsonEncodedText[] ProductIds { get; }

    public JsonEncodedText[] ProductPages { get; }

    public int[] ProductCategory { get; }

    public long[] ProductPriceCents { get; }

    public int ProductCount => ProductIds.Length;

    /// <summary>The product at a popularity rank (0 = most viewed).</summary>
    public int ProductAtRank(int rank) => _productByRank[rank];

    public int PickProduct(Xoshiro256StarStar random) => _productByRank[_popularity.Sample(random)];

    public int PickCategory(Xoshiro256StarStar random)
    {
        var u = random.NextDouble() * _categoryCumulative[^1];
        for (var i = 0; i < _categoryCumulative.Length - 1; i++)
        {
            if (u < _categoryCumulative[i])
            {
                return i;
            }
        }

        return _categoryCumulative.Length - 1;
    }

    public static JsonEncodedText PickQuery(Xoshiro256StarStar random, int category) => random.Pick(EncodedQueries[category]);
}
