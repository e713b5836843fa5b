#!/usr/bin/env python3
"""Writes a synthetic catalog in the import format (JSON Lines): GOODS goods with SKUS SKUs each.

    python3 generate-catalog.py OUT.jsonl [GOODS] [SKUS_PER_GOODS]
"""
import json
import sys

out, goods, per = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000, int(sys.argv[3]) if len(sys.argv) > 3 else 10
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
                            "title": f"Bench goods {g} with a realistic length title for the catalog", "description": "Synthetic goods for the import benchmark. " * 3,
                            "thumb_url": f"https://img.example/b/{g}/thumb.jpg", "images": [f"https://img.example/b/{g}/1.jpg"],
                            "attributes": {"Brand": "Bench", "Material": "Cotton"}, "status": "active", "skus": skus}, ensure_ascii=False) + "\n")
