#!/usr/bin/env python3
"""Writes a synthetic catalog in the import format (JSON Lines): GOODS goods with SKUS SKUs each.

    python3 generate-catalog.py OUT.jsonl [GOODS] [SKUS_PER_GOODS] [numbered|words]

Titles are "Bench goods N …" (numbered, the default) or, with `words`, 4–7 words drawn from a shopping vocabulary
("Wireless Silicone Phone Case Black"), so that keyword search has realistic work to do (bench/scale.sh).
"""
import json
import random
import sys

out, goods, per = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000, int(sys.argv[3]) if len(sys.argv) > 3 else 10
titles = sys.argv[4] if len(sys.argv) > 4 else "numbered"
VOCABULARY = {
    "adjective": "Wireless Portable Waterproof Adjustable Foldable Rechargeable Magnetic Ergonomic Vintage Modern Classic Premium "
                 "Lightweight Heavy-Duty Compact Smart Mini Large Soft Warm Cooling Anti-Slip Reusable Eco-Friendly Handmade "
                 "Stainless Bamboo Leather Cotton Silicone Wooden Ceramic Glass Metal Plastic Velvet Linen Denim Wool".split(),
    "noun": "Phone Case Headphones Earbuds Charger Cable Backpack Wallet Watch Bracelet Necklace Earrings Sunglasses Hat Scarf "
            "Gloves Socks Sneakers Boots Sandals Jacket Hoodie Sweater T-Shirt Dress Skirt Jeans Leggings Pillow Blanket "
            "Towel Mug Bottle Lunchbox Organizer Lamp Candle Vase Frame Mirror Clock Speaker Keyboard Mouse Stand Holder "
            "Tripod Ring Light Drone Camera Tent Chair Table Shelf Basket Planter Brush Comb Razor Toothbrush Blender Kettle "
            "Pan Knife Spatula Apron Puzzle Doll Robot Kite Ball Yoga Mat Dumbbell Bicycle Helmet Collar Leash Bowl".split(),
    "extra": ["for Women", "for Men", "for Kids", "for Pets", "for Travel", "for Kitchen", "for Office", "for Car",
              "for Camping", "Set of 2", "Pack of 3", "with Storage Bag", "with LED", "with USB-C", "Gift Box", "Black",
              "White", "Red", "Blue", "Green", "Pink", "Grey", "Gold", "Silver", "Beige", "Navy", "Purple", "XL", "Small",
              "Medium", "2024", "Pro", "Max"],
}
rng = random.Random(20261129)


def title(g):
    if titles != "words":
        return f"Bench goods {g} with a realistic length title for the catalog"
    words = rng.sample(VOCABULARY["adjective"], rng.randint(1, 2)) + rng.sample(VOCABULARY["noun"], rng.randint(1, 2))
    return " ".join(words + rng.sample(VOCABULARY["extra"], rng.randint(1, 3)))


with open(out, "w", encoding="utf-8") as f:
    f.write(json.dumps({"type": "category", "category_id": "b-top", "parent_id": None, "name": "Bench", "sort_order": 0}) + "\n")
    for c in range(20):
        f.write(json.dumps({"type": "category", "category_id": f"b-mid-{c}", "parent_id": "b-top", "name": f"Bench {c}", "sort_order": c}) + "\n")
        for leaf in range(5):
            f.write(json.dumps({"type": "category", "category_id": f"b-leaf-{c}-{leaf}", "parent_id": f"b-mid-{c}", "name": f"Bench {c}.{leaf}", "sort_order": leaf}) + "\n")
    for g in range(goods):
        skus = [{"sku_id": f"b-sku-{g}-{s}", "spec": {"Color": ["Red", "Blue", "Black", "White"][s % 4], "Size": str(36 + s)},
                 "price": f"{(g % 900) + 1}.{(g + s) % 100:02d}", "stock": (g * 7 + s) % 500, "image": f"https://img.example/b/{g}/{s}.jpg",
                 "status": "active"} for s in range(per)]
        f.write(json.dumps({"type": "goods", "goods_id": f"b-gd-{g}", "category_id": f"b-leaf-{g % 20}-{g % 5}",
                            "title": title(g), "description": "Synthetic goods for the import benchmark. " * 3,
                            "thumb_url": f"https://img.example/b/{g}/thumb.jpg", "images": [f"https://img.example/b/{g}/1.jpg"],
                            "attributes": {"Brand": "Bench", "Material": "Cotton"}, "status": "active", "skus": skus}, ensure_ascii=False) + "\n")
