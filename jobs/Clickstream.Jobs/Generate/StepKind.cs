namespace Clickstream.Jobs.Generate;

/// <summary>One planned action of a simulated visit; <see cref="Unknown"/> stands for event types the pipeline does not know.</summary>
internal enum StepKind : byte
{
    PageView,
    Search,
    ProductView,
    AddToCart,
    RemoveFromCart,
    CheckoutStart,
    Purchase,
    Unknown,
}
