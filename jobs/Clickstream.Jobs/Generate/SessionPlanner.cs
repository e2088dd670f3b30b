namespace Clickstream.Jobs.Generate;

/// <summary>
/// Plans the steps of a visit so that, over many sessions, the funnel drops off like a typical shop:
/// every session views a page, 60% view a product, 20% add to cart, 10% start checkout and 5% buy.
/// </summary>
internal static class SessionPlanner
{
    public const int MaxSteps = 40;

    /// <summary>Share of sessions whose deepest funnel step is page_view, product_view, add_to_cart, checkout_start, purchase.</summary>
    private static readonly double[] DeepestStep = [0.40, 0.40, 0.10, 0.05, 0.05];

    /// <summary>Chance of an unknown event type before each step after the first: about 1% of events.</summary>
    private const double UnknownStepChance = 0.014;

    public static StepKind[] Plan(Xoshiro256StarStar random)
    {
        var depth = PickDepth(random);
        Span<StepKind> steps = stackalloc StepKind[MaxSteps];
        var n = 0;

        steps[n++] = StepKind.PageView;
        if (random.Chance(0.3))
        {
            Add(steps, ref n, StepKind.Search, random);
        }

        var morePages = random.Chance(0.5) ? (random.Chance(0.4) ? 2 : 1) : 0;
        for (var i = 0; i < morePages; i++)
        {
            Add(steps, ref n, StepKind.PageView, random);
        }

        if (depth >= 2)
        {
            var views = 1 + (random.Chance(0.5) ? 1 : 0) + (random.Chance(0.3) ? 1 : 0) + (random.Chance(0.15) ? 1 : 0);
            for (var i = 0; i < views; i++)
            {
                if (i > 0 && random.Chance(0.25))
                {
                    Add(steps, ref n, StepKind.PageView, random);
                }

                Add(steps, ref n, StepKind.ProductView, random);
            }
        }

        if (depth >= 3)
        {
            // A removal always leaves at least one item, so a later checkout never has an empty cart.
            var remove = random.Chance(0.15);
            var adds = remove || random.Chance(0.3) ? 2 : 1;
            for (var i = 0; i < adds; i++)
            {
                if (i > 0)
                {
                    Add(steps, ref n, StepKind.ProductView, random);
                }

                Add(steps, ref n, StepKind.AddToCart, random);
            }

            if (remove)
            {
                Add(steps, ref n, StepKind.RemoveFromCart, random);
            }
        }

        if (depth >= 4)
        {
            Add(steps, ref n, StepKind.CheckoutStart, random);
        }

        if (depth >= 5)
        {
            Add(steps, ref n, StepKind.Purchase, random);
        }

        return steps[..n].ToArray();
    }

    private static void Add(Span<StepKind> steps, ref int n, StepKind step, Xoshiro256StarStar random)
    {
        if (random.Chance(UnknownStepChance))
        {
            steps[n++] = StepKind.Unknown;
        }

        steps[n++] = step;
    }

    private static int PickDepth(Xoshiro256StarStar random)
    {
        var u = random.NextDouble();
        for (var i = 0; i < DeepestStep.Length - 1; i++)
        {
            u -= DeepestStep[i];
            if (u < 0)
            {
                return i + 1;
            }
        }

        return DeepestStep.Length;
    }
}
