"""Demo data for the catalogue: users, accounts, brands, ~230 products with pictures,
stock, deals and 60 days of sales. Called by `manage.py seed_demo`.

Idempotent: users, accounts and brands are looked up before they are made; products are
created only when their ASIN is missing (with their pictures, deal and sales history), so
a second run changes nothing but the users' passwords.
"""
from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from . import stock
from .availability import BUYABLE_Q
from .demo_images import VIEWS, product_picture
from .models import (
    Account,
    Brand,
    BrandRegistryEnrollment,
    Category,
    Deal,
    Membership,
    Product,
    ProductImage,
    SalesRecord,
)
from .services import product_cards_changed, sales_rank_refresh


@dataclass(frozen=True)
class Line:
    """One product line: a category's worth of products of one brand."""

    category: str
    kind: str  # a drawing in catalog.demo_images
    noun: str
    models: tuple[str, ...]
    variants: tuple[str, ...]
    price: tuple[int, int]
    bullets: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class BrandSpec:
    name: str
    slug: str
    asin_prefix: str  # 4 characters; the ASIN is prefix + 6 digits
    background: tuple[str, str]
    colors: tuple[tuple[str, str, str], ...]  # (colour name, product colour, accent)
    lines: tuple[Line, ...]


OUTDOOR_COLORS = (
    ("Forest Green", "#2f6f4f", "#f2a900"), ("Glacier Blue", "#2b5d8a", "#ffb347"),
    ("Canyon Orange", "#d2622a", "#2c3e50"), ("Slate Grey", "#4a5560", "#7ed957"),
    ("Berry Red", "#a8323e", "#f4d35e"), ("Sand", "#c2a878", "#3d5a40"),
)
HOME_COLORS = (
    ("Oat", "#d8c7a8", "#8a6d4b"), ("Sage", "#8fa68e", "#f3efe6"),
    ("Charcoal", "#3c3f44", "#e0b15a"), ("Dusty Rose", "#c99393", "#fbe9e7"),
    ("Fjord Blue", "#4f6d8f", "#f2c14e"), ("Cream", "#efe6d2", "#b5651d"),
)

ACME = BrandSpec(
    name="Acme Outdoor", slug="acme-outdoor", asin_prefix="B0AC",
    background=("#f1f6f3", "#cddfd4"), colors=OUTDOOR_COLORS,
    lines=(
        Line("Tents", "tent", "Tent",
             ("Ridgeline", "Basecamp", "Summit", "Trailhead", "Alpine", "Meadow", "Nomad"),
             ("1-Person Ultralight", "2-Person Backpacking", "3-Person Dome",
              "4-Person Family"),
             (89, 449),
             ("Sets up in under 5 minutes with colour-coded poles and clips",
              "Waterproof 3000 mm flysheet with fully taped seams",
              "Two doors and two vestibules keep gear dry and within reach",
              "Mesh inner tent for airflow on warm nights, insect-proof",
              "Packs into a compression sack with room for stakes and guylines"),
             "Built for long weekends and longer trails, this tent balances weight, space "
             "and weather protection. The freestanding frame pitches on rock or sand, and "
             "the inner tent can be pitched first or together with the fly.\n\n"
             "Includes aluminium stakes, reflective guylines and a repair sleeve."),
        Line("Backpacks", "backpack", "Backpack",
             ("Trailrunner", "Ridge", "Voyager", "Scout", "Cascade", "Highline"),
             ("22 L Daypack", "35 L Hiking", "50 L Trekking", "65 L Expedition"),
             (39, 229),
             ("Ventilated back panel with adjustable torso length",
              "Hip belt pockets for phone and snacks",
              "Integrated rain cover stowed in the base",
              "Hydration sleeve compatible with 3 L reservoirs",
              "Recycled ripstop nylon, PFC-free water repellent"),
             "A pack that carries comfortably from the first kilometre to the last. The "
             "load-lifter straps and padded hip belt move weight onto your hips, while "
             "the front stretch pocket swallows a wet jacket.\n\n"
             "Every buckle and zip can be worked with gloves on."),
        Line("Hiking Shoes", "shoe", "Hiking Shoes",
             ("Rockhopper", "Switchback", "Pathfinder", "Granite", "Trailblazer"),
             ("Low Men's", "Low Women's", "Mid Waterproof Men's", "Mid Waterproof Women's"),
             (69, 189),
             ("Waterproof breathable membrane keeps feet dry",
              "Grippy rubber outsole with 5 mm multi-directional lugs",
              "Cushioned midsole for all-day comfort",
              "Protective toe cap and heel counter",
              "Quick-pull lacing with locking hooks"),
             "Light enough for a day hike, sturdy enough for rocky alpine paths. The sole "
             "grips wet rock and loose gravel, and the wide toe box lets feet swell on "
             "long descents."),
        Line("Jackets", "jacket", "Jacket",
             ("Stormfront", "Windward", "Drift", "Everest", "Coastline", "Glen"),
             ("Rain", "Insulated", "Softshell", "Down"),
             (59, 279),
             ("Fully taped seams and a storm flap over the front zip",
              "Adjustable hood fits over a helmet",
              "Pit zips vent heat on steep climbs",
              "Packs into its own chest pocket",
              "Recycled shell fabric, PFC-free finish"),
             "One jacket for changeable days in the hills: it blocks wind and rain, "
             "breathes on the climb and packs small when the sun comes out."),
        Line("Camping Lamps", "lantern", "Lantern",
             ("Firefly", "Beacon", "Glowworm", "Northstar", "Campfire"),
             ("300 Lumen LED", "500 Lumen Rechargeable", "Solar LED", "Collapsible"),
             (19, 69),
             ("Warm and cool light modes with stepless dimming",
              "Up to 40 hours of light on the lowest setting",
              "USB-C charging; doubles as a power bank",
              "IPX4 splash-proof for rainy evenings",
              "Hanging hook and magnetic base"),
             "Fills a tent or a picnic table with soft, even light. The diffuser avoids "
             "glare, and the battery indicator tells you how much night is left."),
        Line("Sleeping Bags", "sleeping_bag", "Sleeping Bag",
             ("Hibernate", "Dreamer", "Polar", "Moonlight", "Cocoon"),
             ("3-Season Mummy", "Summer Rectangular", "Winter -10 °C", "Double"),
             (49, 259),
             ("Comfort rating tested to EN ISO 23537",
              "Draught collar and insulated zip baffle",
              "Anti-snag two-way zip",
              "Compression sack included",
              "Synthetic fill stays warm when damp"),
             "Warmth you can count on at camp. The contoured hood and draught collar seal "
             "in heat, and the foot box leaves room to move."),
    ),
)

NORDIC = BrandSpec(
    name="Nordic Home", slug="nordic-home", asin_prefix="B0NH",
    background=("#faf7f2", "#e7dfd3"), colors=HOME_COLORS,
    lines=(
        Line("Mugs", "mug", "Mug",
             ("Fika", "Hygge", "Fjord", "Birch", "Lagom", "Aurora"),
             ("350 ml Stoneware", "450 ml Large", "Handleless 250 ml", "Tall 400 ml"),
             (12, 44),
             ("Hand-glazed stoneware, each piece slightly unique",
              "Dishwasher and microwave safe",
              "Comfortable handle fits two fingers",
              "Stackable for small kitchens"),
             "A mug for slow mornings. Thick walls keep coffee warm, and the reactive "
             "glaze makes every piece a little different."),
        Line("Blankets", "blanket", "Throw Blanket",
             ("Lofoten", "Sami", "Tundra", "Hearth", "Snowdrift", "Nordlys"),
             ("Wool 130x170 cm", "Cotton Waffle 150x200 cm", "Knitted", "Fleece-Lined"),
             (29, 139),
             ("Soft, breathable natural fibres",
              "Generous size for sofa or bed",
              "Fringed edges, finished by hand",
              "Machine washable on a wool cycle"),
             "Wrap up on the sofa or add a layer to the bed. Woven in a classic Nordic "
             "pattern that softens with every wash."),
        Line("Table Lamps", "table_lamp", "Table Lamp",
             ("Stella", "Luna", "Solveig", "Ekko", "Hav"),
             ("Linen Shade", "Dimmable LED", "Mushroom", "Brass"),
             (35, 189),
             ("Warm white light, E27 bulb included",
              "Touch dimmer with three levels",
              "Fabric cable with inline switch",
              "Weighted base, stable on any surface"),
             "Soft light for reading corners and bedside tables. The shade diffuses the "
             "bulb evenly, and the slim stem keeps the lamp light to look at."),
        Line("Cushions", "cushion", "Cushion Cover",
             ("Isa", "Malin", "Greta", "Tove", "Saga"),
             ("50x50 cm Linen", "40x60 cm Velvet", "45x45 cm Bouclé", "Set of 2"),
             (15, 49),
             ("Hidden zip for easy washing",
              "Pre-washed for a soft, relaxed feel",
              "Fits standard inserts",
              "OEKO-TEX certified fabric"),
             "Change the look of a room in a minute. Pre-washed linen and velvet in calm "
             "Nordic colours that go with everything."),
        Line("Candles", "candle", "Candles",
             ("Midsommar", "Vinter", "Skog", "Stille"),
             ("Pillar Set of 3", "Scented Soy", "Dinner Set of 6", "Tealight 30 Pack"),
             (9, 39),
             ("Clean-burning plant wax",
              "Cotton wick, no lead",
              "Burns up to 40 hours",
              "Subtle scents of pine, birch or amber"),
             "Candles for long evenings, poured from plant wax with cotton wicks. They "
             "burn evenly and drip little."),
    ),
)

SUMMIT_KIDS = BrandSpec(
    name="Summit Kids", slug="summit-kids", asin_prefix="B0SK",
    background=("#fdf6e9", "#f5dfb8"), colors=OUTDOOR_COLORS,
    lines=(
        Line("Backpacks", "backpack", "Kids' Backpack",
             ("Little Explorer", "Cub", "Sprout"),
             ("10 L", "14 L School", "8 L Toddler"),
             (19, 49),
             ("Chest strap keeps it from slipping",
              "Reflective details for dark mornings",
              "Name label inside"),
             "A small pack for big adventures, sized for children aged 3 to 8."),
        Line("Hiking Shoes", "shoe", "Kids' Hiking Shoes",
             ("Puddle Jumper", "Trail Cub", "Mini Rock"),
             ("Waterproof", "Hook-and-Loop", "Mid"),
             (34, 69),
             ("Hook-and-loop closure kids can do themselves",
              "Waterproof and easy to clean",
              "Flexible sole for growing feet"),
             "Trail shoes for small feet: flexible, waterproof and quick to put on."),
        Line("Water Bottles", "bottle", "Kids' Water Bottle",
             ("Sip", "Splash", "Gulp"),
             ("350 ml", "500 ml Insulated", "400 ml Straw"),
             (9, 24),
             ("Leak-proof lid", "BPA-free", "Dishwasher safe"),
             "A bottle that survives school bags and playgrounds."),
    ),
)

DEMO_BRANDS = (ACME, NORDIC, SUMMIT_KIDS)
# Products per line; (brand slug -> count) adds up to 6*20 + 5*18 + 3*8 = 234.
PER_LINE = {"acme-outdoor": 20, "nordic-home": 18, "summit-kids": 8}
SALES_DAYS = 60


def _user(username: str, *, password_hash: str, **flags):
    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com"}
    )
    for name, value in flags.items():
        setattr(user, name, value)
    user.password = password_hash
    user.save()
    return user


def _member(user, account: Account) -> None:
    Membership.objects.get_or_create(user=user, account=account,
                                     defaults={"role": Membership.Role.OWNER})


def _people(password: str) -> dict[str, Brand]:
    seller_account, _ = Account.objects.get_or_create(
        name="Acme Outdoor Co", defaults={"kind": Account.Kind.SELLER})
    vendor_account, _ = Account.objects.get_or_create(
        name="Nordic Home Ltd", defaults={"kind": Account.Kind.VENDOR})
    agency_account, _ = Account.objects.get_or_create(
        name="Bright Agency", defaults={"kind": Account.Kind.AGENCY})
    agency_account.represented_vendors.add(vendor_account)

    brands = {
        "acme-outdoor": Brand.objects.get_or_create(
            slug="acme-outdoor", defaults={"name": "Acme Outdoor", "account": seller_account})[0],
        "nordic-home": Brand.objects.get_or_create(
            slug="nordic-home", defaults={"name": "Nordic Home", "account": vendor_account})[0],
        # A second seller brand whose trademark is still pending: the builder shows why
        # it cannot have a Store yet.
        "summit-kids": Brand.objects.get_or_create(
            slug="summit-kids", defaults={"name": "Summit Kids", "account": seller_account})[0],
    }
    BrandRegistryEnrollment.objects.get_or_create(
        brand=brands["acme-outdoor"],
        defaults={"trademark_number": "EU018273645",
                  "status": BrandRegistryEnrollment.Status.APPROVED})
    BrandRegistryEnrollment.objects.get_or_create(
        brand=brands["summit-kids"],
        defaults={"trademark_number": "EU019384756",
                  "status": BrandRegistryEnrollment.Status.PENDING})

    # One hash for the five demo users (they share the documented password): hashing
    # is deliberately slow, and five of them would dominate the seeding time.
    password_hash = make_password(password)
    _member(_user("seller", password_hash=password_hash), seller_account)
    _member(_user("vendor", password_hash=password_hash), vendor_account)
    _member(_user("agency", password_hash=password_hash), agency_account)
    moderator = _user("moderator", password_hash=password_hash, is_staff=True)
    moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    _user("admin", password_hash=password_hash, is_staff=True, is_superuser=True)
    return brands


def _money(value: float) -> Decimal:
    """Prices end in .99 or .90, as shoppers expect."""
    whole = int(value)
    return Decimal(f"{whole}.{99 if whole % 3 else 90}")


def _planned_products(per_line: dict[str, int]):
    """(spec, line, asin, fields, picture args) for every demo product, deterministically."""
    for spec in DEMO_BRANDS:
        number = 0
        for line in spec.lines:
            for i in range(per_line.get(spec.slug, 0)):
                number += 1
                asin = f"{spec.asin_prefix}{number:06d}"
                rnd = random.Random(asin)
                model = line.models[i % len(line.models)]
                variant = line.variants[(i // len(line.models) + i) % len(line.variants)]
                color_name, color, accent = rnd.choice(spec.colors)
                low, high = line.price
                price = _money(low + (high - low) * ((i * 37 % 100) / 100))
                stock_roll = rnd.random()
                fields = {
                    "title": f"{spec.name} {model} {variant} {line.noun}, {color_name}",
                    "price": price,
                    "currency": "EUR",
                    "is_prime": rnd.random() < 0.75,
                    "rating": Decimal(str(round(rnd.uniform(3.4, 4.9), 1))),
                    "review_count": min(int(rnd.paretovariate(1.2) * 12), 24_000),
                    # ~15% out of stock, a few no longer sold.
                    "quantity": 0 if stock_roll < 0.16 else rnd.randint(3, 250),
                    "is_active": rnd.random() > 0.025,
                    "bullet_points": rnd.sample(line.bullets, k=min(len(line.bullets),
                                                                   rnd.randint(3, 5))),
                    "description": line.description,
                }
                picture = {
                    "kind": line.kind, "color": color, "accent": accent,
                    "background": spec.background, "label": model, "brand": spec.name,
                }
                views = 1 + (number % 3)  # 1 to 3 pictures
                yield spec, line, asin, fields, picture, views


def seed(*, password: str, stdout=None, per_line: dict[str, int] | None = None) -> list[str]:
    """Creates what is missing of the demo catalogue; returns lines to print."""
    per_line = PER_LINE if per_line is None else per_line
    brands = _people(password)
    categories: dict[str, Category] = {}
    for spec in DEMO_BRANDS:
        for line in spec.lines:
            if line.category not in categories:
                categories[line.category] = Category.objects.get_or_create(
                    slug=slugify(line.category), defaults={"name": line.category})[0]

    planned = list(_planned_products(per_line))
    existing = set(Product.objects.filter(asin__in=[p[2] for p in planned])
                   .values_list("asin", flat=True))
    now = timezone.now()
    new = [p for p in planned if p[2] not in existing]
    products = Product.objects.bulk_create([
        Product(asin=asin, brand=brands[spec.slug], category=categories[line.category],
                stock_updated_at=now, **fields)
        for spec, line, asin, fields, _picture, _views in new
    ], batch_size=500)
    if stdout and new:
        stdout.write(f"  {len(new)} products, drawing their pictures…")

    # Products drawn alike (same brand, kind, colours and model name) share one stored
    # picture per view: it is drawn once and gets one set of renditions, which is most of
    # the seeding time. Each picture keeps the name of the first product that uses it.
    names: dict[tuple, str] = {}
    drawings: list[tuple[dict, int, str]] = []
    uses: list[tuple[Product, int, tuple]] = []
    for product, (_s, _l, _a, _f, picture, views) in zip(products, new, strict=True):
        for view in range(views):
            key = (*sorted(picture.items()), view)
            if key not in names:
                names[key] = f"products/{product.asin.lower()}-{view + 1}.jpg"
                drawings.append((picture, view, names[key]))
            uses.append((product, view, key))

    def draw(job: tuple[dict, int, str]) -> str:
        picture, view, name = job
        return default_storage.save(name, ContentFile(product_picture(**picture, view=view)))

    # Pillow releases the GIL while drawing and encoding, so a few threads draw faster.
    with ThreadPoolExecutor(max_workers=4) as pool:
        saved = dict(zip(names.values(), pool.map(draw, drawings), strict=True))
    images = [ProductImage(product=product, image=saved[names[key]], width=800, height=800,
                           position=view, alt=f"{product.title}, {VIEWS[view]}")
              for product, view, key in uses]
    ProductImage.objects.bulk_create(images, batch_size=500)

    deals, sales = [], []
    today = timezone.localdate()
    for product in products:
        rnd = random.Random(f"sales-{product.asin}")
        if product.in_stock and rnd.random() < 0.13:
            off = Decimal(rnd.choice((10, 15, 20, 25, 30)))
            # Deal prices end in .99 too: 30% off 172.99 is 121.99.
            deal_price = Decimal(int(product.price * (100 - off) / 100)) + Decimal("0.99")
            deals.append(Deal(product=product, deal_price=min(deal_price, product.price - 1),
                              starts_at=now - timedelta(days=2), ends_at=now + timedelta(days=28)))
        popularity = min(rnd.paretovariate(1.5), 12.0)
        for day in range(SALES_DAYS):
            units = int(rnd.expovariate(1 / popularity) * 3)
            if units:
                sales.append(SalesRecord(product=product, day=today - timedelta(days=day),
                                         units=units))
    Deal.objects.bulk_create(deals)
    SalesRecord.objects.bulk_create(sales, batch_size=1000, ignore_conflicts=True)
    sales_rank_refresh()
    if products:
        ids = [product.pk for product in products]
        # A server already running (or its cache) hears about the new catalogue.
        product_cards_changed(product_ids=ids)
        transaction.on_commit(partial(stock.stock_changed, ids))

    sample_in = (Product.objects.filter(BUYABLE_Q, brand=brands["acme-outdoor"],
                                        deals__isnull=True)
                 .order_by("asin").first())
    sample_out = (Product.objects.filter(brand=brands["acme-outdoor"], quantity=0)
                  .order_by("asin").first())
    site = settings.SITE_URL.rstrip("/")
    lines = [
        f"Catalogue: {Product.objects.count()} products of {len(brands)} brands "
        f"({len(new)} new this run).",
        f"Users (password {password!r}): seller (Acme Outdoor, seller with an approved "
        "trademark; Summit Kids pending), vendor (Nordic Home), agency (Bright Agency, "
        "acting for Nordic Home Ltd), moderator, admin.",
    ]
    if sample_in:
        lines.append(f"Product page: {site}/dp/{sample_in.asin}/")
    if sample_out:
        lines.append(f"Out-of-stock product page: {site}/dp/{sample_out.asin}/")
    return lines
