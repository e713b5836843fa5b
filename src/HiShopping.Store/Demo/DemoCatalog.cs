using System.Globalization;
using HiShopping.Store.Catalog;

namespace HiShopping.Store.Demo;

/// <summary>
/// The built-in demo catalog seeded into an empty store: a three-level category tree and a few hundred goods with
/// several SKUs each. Generated from a fixed seed, so every installation gets the same ids, titles and prices.
/// </summary>
public static class DemoCatalog
{
    private const int Seed = 20261128;
    private const int GoodsPerLeaf = 12;

    private sealed record Leaf(string Name, (int Min, int Max) PriceCents, string[] Nouns, (string Name, string[] Values) Dimension1, (string Name, string[] Values)? Dimension2);

    private static readonly string[] Colors = ["Black", "White", "Red", "Blue", "Green", "Pink", "Grey", "Beige"];
    private static readonly string[] Sizes = ["XS", "S", "M", "L", "XL", "XXL"];
    private static readonly string[] ShoeSizes = ["36", "37", "38", "39", "40", "41", "42", "43", "44"];
    private static readonly string[] Packs = ["1 Pack", "2 Pack", "3 Pack", "5 Pack"];
    private static readonly string[] Adjectives =
        ["Premium", "Portable", "Minimalist", "Vintage", "Ultra-Thin", "Heavy-Duty", "Eco-Friendly", "Foldable", "Classic", "Deluxe",
         "Compact", "Ergonomic", "Waterproof", "Soft-Touch", "Modern", "Lightweight", "Handmade", "Smart", "Anti-Slip", "Reusable"];

    private static readonly (string Top, (string Mid, Leaf[] Leaves)[] Mids)[] Tree =
    [
        ("Home & Kitchen", [
            ("Kitchen", [
                new Leaf("Cookware", (899, 5999), ["Non-Stick Frying Pan", "Stainless Steel Saucepan", "Cast Iron Skillet", "Wok with Lid", "Stock Pot"], ("Size", ["20 cm", "24 cm", "28 cm", "32 cm"]), ("Color", Colors[..4])),
                new Leaf("Kitchen Gadgets", (199, 1999), ["Garlic Press", "Vegetable Peeler", "Silicone Spatula Set", "Digital Kitchen Scale", "Egg Separator", "Herb Scissors"], ("Color", Colors), null),
                new Leaf("Food Storage", (299, 2999), ["Glass Meal Prep Containers", "Vacuum Sealer Bags", "Airtight Cereal Dispenser", "Bento Lunch Box"], ("Pack", Packs), null),
            ]),
            ("Home Decor", [
                new Leaf("Wall Art", (499, 3999), ["Canvas Print", "Framed Botanical Poster", "Metal Wall Sculpture", "Macrame Wall Hanging"], ("Size", ["30x40 cm", "40x60 cm", "60x90 cm"]), null),
                new Leaf("Lighting", (699, 4999), ["LED Strip Lights", "Bedside Table Lamp", "Solar Garden Lights", "Moon Night Light"], ("Color", ["Warm White", "Cool White", "RGB"]), null),
                new Leaf("Candles", (299, 1999), ["Scented Soy Candle", "Flameless LED Candles", "Beeswax Taper Candles"], ("Scent", ["Lavender", "Vanilla", "Sandalwood", "Ocean Breeze"]), ("Pack", Packs[..3])),
            ]),
        ]),
        ("Electronics", [
            ("Phone Accessories", [
                new Leaf("Phone Cases", (199, 1499), ["Shockproof Phone Case", "Clear Magnetic Phone Case", "Leather Wallet Phone Case", "Silicone Phone Case"], ("Model", ["iPhone 15", "iPhone 16", "Galaxy S24", "Pixel 9"]), ("Color", Colors[..5])),
                new Leaf("Chargers & Cables", (299, 2999), ["USB-C Fast Charging Cable", "65W GaN Wall Charger", "Wireless Charging Pad", "Car Charger"], ("Length", ["1 m", "2 m", "3 m"]), ("Color", ["Black", "White"])),
                new Leaf("Screen Protectors", (199, 999), ["Tempered Glass Screen Protector", "Privacy Screen Protector", "Camera Lens Protector"], ("Model", ["iPhone 15", "iPhone 16", "Galaxy S24", "Pixel 9"]), ("Pack", Packs[..3])),
            ]),
            ("Audio", [
                new Leaf("Earbuds", (999, 5999), ["Wireless Earbuds", "Noise Cancelling Earbuds", "Sport Ear Hook Earbuds", "Open-Ear Headphones"], ("Color", Colors[..4]), null),
                new Leaf("Bluetooth Speakers", (1299, 7999), ["Portable Bluetooth Speaker", "Waterproof Shower Speaker", "Party Speaker with Lights"], ("Color", Colors[..4]), null),
            ]),
        ]),
        ("Fashion", [
            ("Women's Clothing", [
                new Leaf("Dresses", (1099, 4999), ["Floral Midi Dress", "Knit Sweater Dress", "Wrap Maxi Dress", "Linen Summer Dress"], ("Size", Sizes), ("Color", Colors[..4])),
                new Leaf("Tops", (599, 2999), ["Ribbed Tank Top", "Oversized Cotton Shirt", "Cropped Cardigan", "Lace Trim Blouse"], ("Size", Sizes), ("Color", Colors[..5])),
            ]),
            ("Men's Clothing", [
                new Leaf("T-Shirts", (499, 2499), ["Cotton Crew Neck T-Shirt", "Graphic Print T-Shirt", "Quick-Dry Sports T-Shirt", "Henley Shirt"], ("Size", Sizes), ("Color", Colors[..4])),
                new Leaf("Jackets", (1999, 8999), ["Windbreaker Jacket", "Puffer Jacket", "Denim Jacket", "Fleece Zip Jacket"], ("Size", Sizes), ("Color", ["Black", "Navy", "Olive"])),
            ]),
            ("Shoes", [
                new Leaf("Sneakers", (1599, 6999), ["Running Sneakers", "Canvas Low-Top Sneakers", "Chunky Platform Sneakers", "Slip-On Walking Shoes"], ("Size", ShoeSizes), ("Color", ["Black", "White", "Grey"])),
                new Leaf("Sandals", (799, 3499), ["Cloud Slides", "Strappy Flat Sandals", "Hiking Sandals"], ("Size", ShoeSizes), null),
            ]),
        ]),
        ("Beauty & Health", [
            ("Makeup", [
                new Leaf("Lipstick", (299, 1499), ["Matte Liquid Lipstick", "Tinted Lip Balm", "Velvet Lipstick Set", "Lip Gloss"], ("Shade", ["Nude", "Rose", "Berry", "Coral", "Ruby"]), null),
                new Leaf("Makeup Brushes", (399, 2499), ["Makeup Brush Set", "Beauty Blender Sponges", "Kabuki Foundation Brush"], ("Pack", Packs), null),
            ]),
            ("Skin Care", [
                new Leaf("Face Masks", (199, 1499), ["Hydrating Sheet Masks", "Clay Face Mask", "Overnight Sleeping Mask"], ("Pack", Packs), null),
                new Leaf("Moisturizers", (599, 3499), ["Hyaluronic Acid Moisturizer", "Vitamin C Face Cream", "Aloe Vera Gel"], ("Volume", ["30 ml", "50 ml", "100 ml"]), null),
            ]),
        ]),
        ("Sports & Outdoors", [
            ("Fitness", [
                new Leaf("Yoga Mats", (999, 4999), ["Non-Slip Yoga Mat", "Cork Yoga Mat", "Travel Yoga Mat"], ("Thickness", ["4 mm", "6 mm", "8 mm"]), ("Color", Colors[..5])),
                new Leaf("Resistance Bands", (399, 2499), ["Resistance Band Set", "Fabric Booty Bands", "Pull-Up Assist Band"], ("Level", ["Light", "Medium", "Heavy", "Extra Heavy"]), null),
            ]),
            ("Camping", [
                new Leaf("Tents", (2999, 12999), ["Pop-Up Beach Tent", "2-Person Backpacking Tent", "Family Camping Tent"], ("Capacity", ["2 Person", "4 Person", "6 Person"]), null),
                new Leaf("Headlamps", (499, 2999), ["Rechargeable LED Headlamp", "Motion Sensor Headlamp", "Red Light Headlamp"], ("Pack", Packs[..2]), null),
            ]),
        ]),
        ("Toys & Pets", [
            ("Toys & Games", [
                new Leaf("Building Blocks", (799, 5999), ["City Building Block Set", "Magnetic Tiles", "Robot Building Kit"], ("Pieces", ["100 pcs", "250 pcs", "500 pcs"]), null),
                new Leaf("Puzzles", (499, 2999), ["1000 Piece Jigsaw Puzzle", "Wooden Brain Teaser", "3D Crystal Puzzle"], ("Theme", ["Landscape", "Animals", "Space", "Cities"]), null),
            ]),
            ("Pet Supplies", [
                new Leaf("Dog Toys", (299, 1999), ["Squeaky Plush Dog Toy", "Rope Chew Toy", "Treat Dispensing Ball"], ("Size", ["S", "M", "L"]), ("Color", Colors[..3])),
                new Leaf("Leashes & Collars", (399, 2999), ["Reflective Dog Leash", "Adjustable Nylon Collar", "No-Pull Harness"], ("Size", ["S", "M", "L", "XL"]), ("Color", Colors[..4])),
            ]),
        ]),
    ];

    public static IReadOnlyList<CategoryRecord> Categories()
    {
        var list = new List<CategoryRecord>();
        var next = 1;
        foreach (var (top, mids) in Tree)
        {
            var topId = Id(next++);
            list.Add(new CategoryRecord { CategoryId = topId, Name = top, SortOrder = list.Count });
            foreach (var (mid, leaves) in mids)
            {
                var midId = Id(next++);
                list.Add(new CategoryRecord { CategoryId = midId, ParentId = topId, Name = mid, SortOrder = list.Count });
                foreach (var leaf in leaves)
                    list.Add(new CategoryRecord { CategoryId = Id(next++), ParentId = midId, Name = leaf.Name, SortOrder = list.Count });
            }
        }
        return list;

        static string Id(int n) => "cat-" + n.ToString(CultureInfo.InvariantCulture);
    }

    public static IReadOnlyList<GoodsRecord> Goods()
    {
        var random = new Random(Seed);
        var categories = Categories();
        var leaves = Tree.SelectMany(t => t.Mids).SelectMany(m => m.Leaves).ToList();
        var leafIds = categories.Where(c => !categories.Any(k => k.ParentId == c.CategoryId)).Select(c => c.CategoryId).ToList();
        var goods = new List<GoodsRecord>();
        var goodsNo = 100001;
        var skuNo = 100001;
        for (var l = 0; l < leaves.Count; l++)
        {
            var leaf = leaves[l];
            for (var i = 0; i < GoodsPerLeaf; i++)
            {
                var noun = leaf.Nouns[i % leaf.Nouns.Length];
                var adjective = Adjectives[random.Next(Adjectives.Length)];
                var detail = (i / leaf.Nouns.Length) switch { 0 => "", 1 => " for Everyday Use", _ => " Gift Edition" };
                var title = $"{adjective} {noun}{detail}";
                var goodsId = "gd-" + goodsNo++.ToString(CultureInfo.InvariantCulture);
                var basePrice = random.Next(leaf.PriceCents.Min, leaf.PriceCents.Max + 1) / 10 * 10 + 9;

                var combos = leaf.Dimension1.Values.SelectMany(v1 => leaf.Dimension2 is { } d2
                    ? d2.Values.Select(v2 => new Dictionary<string, string> { [leaf.Dimension1.Name] = v1, [d2.Name] = v2 })
                    : [new Dictionary<string, string> { [leaf.Dimension1.Name] = v1 }]).ToList();
                var skuCount = Math.Min(combos.Count, 1 + random.Next(12));
                var skus = new List<SkuRecord>();
                for (var s = 0; s < skuCount; s++)
                {
                    var skuId = "sku-" + skuNo++.ToString(CultureInfo.InvariantCulture);
                    var step = leaf.Dimension1.Values.Length > 1 ? Array.IndexOf(leaf.Dimension1.Values, combos[s][leaf.Dimension1.Name]) : 0;
                    skus.Add(new SkuRecord
                    {
                        SkuId = skuId,
                        Spec = combos[s],
                        Price = basePrice + step * (basePrice / 10 / 10 * 10),
                        Stock = s == 0 ? random.Next(200, 1000) : random.Next(10) == 0 ? 0 : random.Next(5, 500),
                        Image = $"https://img.hishopping.example/{skuId}.jpg",
                    });
                }

                goods.Add(new GoodsRecord
                {
                    GoodsId = goodsId,
                    CategoryId = leafIds[l],
                    Title = title,
                    Description = $"{title}. {leaf.Name} picked for quality and value, shipped from Temu partner warehouses. " +
                                  $"Choose your {string.Join(" and ", new[] { leaf.Dimension1.Name, leaf.Dimension2?.Name }.OfType<string>()).ToLowerInvariant()} below.",
                    ThumbUrl = $"https://img.hishopping.example/{goodsId}/thumb.jpg",
                    Images = [$"https://img.hishopping.example/{goodsId}/1.jpg", $"https://img.hishopping.example/{goodsId}/2.jpg"],
                    Attributes = new Dictionary<string, string>
                    {
                        ["Brand"] = "Temu Select",
                        ["Material"] = new[] { "Cotton", "Silicone", "Stainless Steel", "ABS Plastic", "Polyester", "Wood", "Glass" }[random.Next(7)],
                        ["Ships From"] = new[] { "US Warehouse", "EU Warehouse", "CN Warehouse" }[random.Next(3)],
                    },
                    Skus = skus,
                });
            }
        }
        return goods;
    }
}
