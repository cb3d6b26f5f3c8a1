"""Make a realistic, made-up ORUK 3.0 directory of N services, for the round-trip test and the search benchmark.

Why generated and seeded: a real county feed cannot be committed, and the same seed must give the same feed
so figures and tests can be compared run to run. The variety follows the real Local Offer: most services
cover one district (named by district or by a town), some a quadrant, some the whole county; one to two
categories, often a need; age bands from early years to 25; organisations running several services and
sharing venues.

    .venv/bin/python bench/generate_directory.py 1000 --out var/feed.json [--page-size 100]
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "data" / "local_offer"

AGE_BANDS = [(0, 5), (2, 11), (4, 16), (5, 18), (11, 18), (14, 25), (16, 25), (0, 25), (None, None), (0, 18),
             (8, 19), (None, 16), (3, None)]
KINDS = ["Drop-in", "Clinic", "Group", "Club", "Service", "Team", "Workshop", "Hub", "Helpline", "Sessions"]
COSTS = [("Free", None), ("Free", None), ("Free", None), ("£5 a session", 5.0), ("£2.50 per child", 2.5),
         ("Means tested; ask the service", None), ("£120 a term", 120.0)]
DAY_SETS = [["MO", "TU", "WE", "TH", "FR"], ["SA"], ["TU", "TH"], ["WE"], ["MO", "WE", "FR"], ["SU"]]
HOURS = [("09:00", "17:00"), ("09:30", "12:00"), ("13:00", "15:30"), ("10:00", "14:00"), ("16:00", "18:00")]
STREETS = ["High Street", "Station Road", "Church Lane", "Mill Road", "London Road", "Queen Street", "Park Avenue"]
ORG_KINDS = ["Children's Therapies", "Family Support", "SEND Charity", "Parent Carers", "Community Trust",
             "Youth Partnership", "Health Partnership"]
SENTENCES = [
    "Friendly staff who understand {need} help children and young people take part.",
    "Families can talk to someone about {topic} and get ideas to use at home and at school.",
    "Sessions are small and calm, with a quiet space for anyone who needs a break.",
    "Parents and carers are welcome to stay, and siblings can come too.",
    "We work with schools, health visitors and the local SEND team.",
    "Book by phone or email; you do not need a diagnosis.",
]


def _vocabulary() -> tuple[list[dict], dict[str, list[str]], list[dict], list[dict]]:
    areas = yaml.safe_load((CONTENT / "areas.yml").read_text(encoding="utf-8"))
    taxonomy = yaml.safe_load((CONTENT / "taxonomy.yml").read_text(encoding="utf-8"))
    quadrants: dict[str, list[str]] = {}
    for district in areas["districts"]:
        quadrants.setdefault(district["quadrant"], []).append(district["code"])
    return areas["districts"], quadrants, taxonomy["categories"], taxonomy["needs"]


def generate_services(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """N ORUK 3.0 service records with nested organization, locations, contacts and terms."""
    rng = random.Random(seed)
    districts, quadrants, categories, needs = _vocabulary()
    quadrant_labels = {"north_east": "North East Essex", "mid": "Mid Essex", "south": "South Essex",
                       "west": "West Essex"}
    organizations = [
        {"id": f"org-{i:05d}", "name": f"{rng.choice(districts)['name']} {rng.choice(ORG_KINDS)} {i}",
         "description": "A made-up organisation for testing.", "url": f"https://example.org/org-{i:05d}",
         "email": f"hello{i}@example.org"}
        for i in range(max(1, n // 8))
    ]
    venues: dict[str, list[dict]] = {}
    services = []
    for i in range(n):
        sid = f"svc-{i:06d}"
        district = rng.choice(districts)
        town = rng.choice(district["places"]).title()
        category = rng.choice(categories)
        extra = rng.choice(categories) if rng.random() < 0.3 else None
        need = rng.choice(needs) if rng.random() < 0.55 else None
        roll = rng.random()
        if roll < 0.45:
            area_names = [district["name"]]
        elif roll < 0.60:
            area_names = [town]  # a town names its district
        elif roll < 0.68:
            other = rng.choice([d for d in districts if d["code"] != district["code"]])
            area_names = [district["name"], other["name"]]
        elif roll < 0.85:
            area_names = [quadrant_labels[district["quadrant"]]]
        else:
            area_names = ["Essex"]
        low, high = rng.choice(AGE_BANDS)
        org = rng.choice(organizations)
        terms = [category] + ([extra] if extra and extra is not category else [])
        name = f"{town} {category['name']} {rng.choice(KINDS)}"
        topic = rng.choice(category["synonyms"] or [category["name"].lower()])
        need_words = (rng.choice(need["synonyms"]) if need and need["synonyms"] else "additional needs")
        description = " ".join(s.format(need=need_words, topic=topic) for s in rng.sample(SENTENCES, 2))
        cost_option, amount = rng.choice(COSTS)
        days = rng.choice(DAY_SETS)
        opens, closes = rng.choice(HOURS)
        service: dict[str, Any] = {
            "id": sid,
            "name": name,
            "description": description,
            "url": f"https://example.org/services/{sid}",
            "email": f"{sid}@example.org",
            "status": "active" if rng.random() < 0.97 else rng.choice(["inactive", "temporarily closed"]),
            "application_process": rng.choice(["Families can refer themselves.", "Ask your GP or SENCO to refer.",
                                               "Book a place online."]),
            "eligibility_description": f"Children and young people in {town}" + (
                f" with {need['name'].lower()}" if need else ""),
            "minimum_age": low,
            "maximum_age": high,
            "assured_date": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "organization": org,
            "phones": [{"id": f"{sid}:phone:0", "number": f"01632 {960000 + i % 1000:06d}"[:12],
                        "description": "Main number"}],
            "contacts": [{"id": f"{sid}:contact:0", "name": "Duty worker", "email": f"{sid}@example.org"}],
            "schedules": [{"id": f"{sid}:schedule:0", "byday": ",".join(days), "opens_at": opens,
                           "closes_at": closes, "description": ""}],
            "cost_options": [{"id": f"{sid}:cost:0", "option": cost_option, "amount": amount, "currency": "GBP"}],
            "service_areas": [{"id": f"{sid}:area:{j}", "name": a} for j, a in enumerate(area_names)],
            "service_at_locations": [],
            "taxonomy_terms": [{"id": f"category:{t['code']}", "code": t["code"], "name": t["name"],
                                "taxonomy": "category"} for t in terms],
        }
        if need:
            service["taxonomy_terms"].append({"id": f"need:{need['code']}", "code": need["code"],
                                              "name": need["name"], "taxonomy": "need"})
        if rng.random() < 0.8:
            shared = venues.setdefault(org["id"], [])
            if shared and rng.random() < 0.4:
                location = shared[0]  # organisations run several services from one venue
            else:
                lid = f"loc-{i:06d}"
                location = {"id": lid, "name": f"{town} {rng.choice(['Community Centre', 'Family Hub', 'Library', 'Clinic'])}",
                            "description": "", "addresses": [
                                {"id": f"{lid}:address", "address_1": f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
                                 "city": town, "state_province": "Essex",
                                 "postal_code": f"CM{rng.randint(1, 24)} {rng.randint(1, 9)}AB", "country": "GB"}]}
                shared.append(location)
            service["service_at_locations"].append({"id": f"{sid}:at:{location['id']}", "location": location})
        if rng.random() < 0.15:
            service["schedules"] = []
        if rng.random() < 0.3:
            service["cost_options"] = []
        services.append(service)
    return services


def paged(services: list[dict[str, Any]], page_size: int) -> list[dict[str, Any]]:
    """The feed as ORUK 3.0 pages (page numbers from 1)."""
    pages = max(1, -(-len(services) // page_size))
    return [
        {"total_items": len(services), "total_pages": pages, "page_number": p, "size": page_size,
         "first_page": p == 1, "last_page": p == pages, "empty": False,
         "contents": services[(p - 1) * page_size: p * page_size]}
        for p in range(1, pages + 1)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--page-size", type=int, default=0, help="write an ORUK page envelope (first page only "
                                                                 "when smaller than the feed: use for tests)")
    args = parser.parse_args()
    services = generate_services(args.count, args.seed)
    document: Any = paged(services, args.page_size)[0] if args.page_size else services
    Path(args.out).write_text(json.dumps(document), encoding="utf-8")
    print(f"Wrote {len(services)} services to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
