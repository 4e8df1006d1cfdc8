"""Demo Stores, seeded after the demo catalogue (catalog.demo) by `manage.py seed_demo`.

- `acme-outdoor` (brand Acme Outdoor, user `seller`): a rich home page (hero banner with a
  phone version, deals, best sellers, a shoppable image, a curated grid with an
  out-of-stock product, a video, a full-width product, recommendations) and sub-pages
  Tents, Shoes > Trail running, Jackets and Backpacks, built partly from page templates.
- `acme-outdoor-nl`: the same brand's Store on the Dutch marketplace, the same pages in
  Dutch, prices in euros written the Dutch way; `acme-outdoor` itself is on the UK
  marketplace, with prices in pounds (set per marketplace here).
- `nordic-home` (brand Nordic Home, user `vendor`): a home page and two sub-pages, on the
  Irish marketplace (English, euros).

Both are published: the validated document is saved as the draft (revision 1) and frozen
into version 1, approved now. Images are drawn with Pillow (stores.demo_images) and stored
through `asset_create`, so they are checked, cleaned and get their renditions like any
upload. Renditions of the demo product pictures are made here too, so the first page
views are fast.

Idempotent: a Store that already has a published version is left as it is.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from catalog.availability import BUYABLE_Q
from catalog.images import RenditionError, renditions_ensure
from catalog.models import Brand, Product, ProductImage, ProductPrice

from .assets import asset_create, asset_renditions_make
from .demo_images import DAWN, FJORD, flat_lay, landscape
from .models import Asset, Store, StoreVersion
from .page_templates import page_template_instantiate
from .services import store_create, store_draft_save

# A Creative Commons film from the Blender Foundation, embedded in privacy mode.
DEMO_VIDEO_URL = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"


class _Keys:
    def __init__(self, prefix: str):
        self.prefix, self.count = prefix, 0

    def __call__(self, kind: str) -> str:
        self.count += 1
        return f"{self.prefix}-{kind}{self.count}"


def _tile(key: _Keys, tile_type: str, config: dict, visibility: str = "all") -> dict:
    return {"key": key("t"), "type": tile_type, "visibility": visibility, "config": config}


def _section(key: _Keys, layout: str, *tiles: dict) -> dict:
    return {"key": key("s"), "layout": layout, "tiles": list(tiles)}


def _text(key: _Keys, heading: str, body: str, *, align: str = "start",
          items: tuple[str, ...] = ()) -> dict:
    html = format_html("<h2>{}</h2><p>{}</p>", heading, body)
    if items:
        html += format_html("<ul>{}</ul>",
                            format_html_join("", "<li>{}</li>", ((item,) for item in items)))
    return _tile(key, "text", {"html": str(html), "align": align})


def _grid(key: _Keys, *, title: str, category: str | None = None, keyword: str | None = None,
          sort: str = "best_selling", limit: int = 12) -> dict:
    return _tile(key, "product_grid", {
        "mode": "automated", "title": title, "rule": {"category": category, "keyword": keyword},
        "sort": sort, "limit": limit})


def _image(key: _Keys, asset: Asset, alt: str, *, phone: Asset | None = None,
           link: dict | None = None) -> dict:
    return _tile(key, "image", {"asset": asset.pk, "alt": alt,
                                "phone_asset": phone.pk if phone else None, "link": link})


def _in_stock(brand: Brand, **filters):
    return (Product.objects.filter(BUYABLE_Q, brand=brand, **filters)
            .order_by("-units_sold_30d", "-rating", "asin"))


def _asset(brand: Brand, user, name: str, data: bytes) -> Asset:
    asset = asset_create(brand=brand, upload=ContentFile(data, name=name), user=user)
    # Uploads leave renditions to a worker; the demo's first page views should be fast.
    try:
        asset_renditions_make(asset_id=asset.pk)
    except RenditionError:
        pass
    return asset


def _first_picture(product: Product) -> bytes:
    image = product.images.order_by("position", "id").first()
    with image.image.open("rb") as handle:
        return handle.read()


def _publish(*, brand: Brand, user, name: str, slug: str, document: dict,
             marketplace: str | None = None) -> Store:
    store = Store.objects.filter(slug=slug).first()
    if store is None:
        store = store_create(user=user, brand=brand, name=name, slug=slug,
                             marketplace=marketplace)
    store = store_draft_save(store=store, user=user, document=document,
                             base_revision=store.revision)
    number = (store.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = StoreVersion.objects.create(
        store=store, number=number, document=store.draft, source_revision=store.revision,
        created_by=user, approved_at=timezone.now())
    store.published_version = version
    store.review_state = Store.ReviewState.APPROVED
    store.save(update_fields=["published_version", "review_state"])
    return store


def _variety(brand: Brand, count: int) -> list[str]:
    """In-stock best sellers taken category by category in turn, for a varied selection."""
    queues: dict[str, list[str]] = {}
    for asin, category in _in_stock(brand).values_list("asin", "category__slug"):
        queues.setdefault(category or "", []).append(asin)
    picked: list[str] = []
    while len(picked) < count and any(queues.values()):
        for queue in queues.values():
            if queue and len(picked) < count:
                picked.append(queue.pop(0))
    return picked


def _jackets_page(brand: Brand, user) -> dict:
    """The Showcase template, filled in for jackets (as a brand would in the builder)."""
    page = page_template_instantiate(template="showcase", brand=brand, page_key="jackets",
                                     parent="home", slug="jackets", title="Jackets")
    jackets = list(_in_stock(brand, category__slug="jackets")[:12])
    pictured = [p for p in jackets if p.images.exists()][:3]
    lay_asset = None
    if pictured:
        lay, _centres = flat_lay([_first_picture(p) for p in pictured],
                                 backdrop=("#e3e9ec", "#b9c6cd"), seed=5)
        lay_asset = _asset(brand, user, "acme-jackets.jpg", lay)
    for section in page["sections"]:
        for tile in section["tiles"]:
            config = tile["config"]
            if tile["type"] == "image" and lay_asset:
                config.update(asset=lay_asset.pk,
                              alt="Three Acme Outdoor jackets laid out side by side")
            elif tile["type"] == "text":
                config["html"] = str(format_html(
                    "<h2>{}</h2><p>{}</p>", "Weather, handled",
                    "Rain shells that breathe on the climb, down that packs into its own "
                    "pocket, softshells for windy ridges. Every jacket is tested in the "
                    "rain before it reaches the shop."))
            elif tile["type"] == "product" and jackets:
                config["asin"] = jackets.pop(0).asin
            elif tile["type"] == "product_grid":
                tile["config"] = {"mode": "automated", "title": "All jackets",
                                  "rule": {"category": "jackets", "keyword": None},
                                  "sort": "best_selling", "limit": 20}
    return page


# --- Acme Outdoor ------------------------------------------------------------------------


def _acme_document(brand: Brand, user) -> dict:
    hero = _asset(brand, user, "acme-hero.jpg", landscape(2400, 900, palette=DAWN, seed=7))
    hero_phone = _asset(brand, user, "acme-hero-phone.jpg",
                        landscape(1200, 1200, palette=DAWN, seed=7))
    tents_banner = _asset(brand, user, "acme-tents.jpg",
                          landscape(2400, 700, palette=DAWN, seed=21))

    top = list(_in_stock(brand)[:40])
    by_category: dict[str, Product] = {}
    for product in top:
        by_category.setdefault(product.category.slug if product.category else "", product)
    for slug in ("tents", "jackets", "backpacks"):
        if slug not in by_category:
            found = _in_stock(brand, category__slug=slug).first()
            if found:
                by_category[slug] = found
    lay_products = [by_category[s] for s in ("tents", "jackets", "backpacks")
                    if s in by_category and by_category[s].images.exists()]
    shoppable = None
    if lay_products:
        lay, centres = flat_lay([_first_picture(p) for p in lay_products])
        shoppable = (_asset(brand, user, "acme-weekend-kit.jpg", lay),
                     [{"x": x, "y": y, "asin": p.asin}
                      for p, (x, y) in zip(lay_products, centres, strict=True)])
    out_of_stock = (Product.objects.filter(brand=brand, is_active=True, quantity=0)
                    .order_by("-units_sold_30d", "asin").first())
    # Ten cards fill two rows of five on a desktop and five rows of two on a phone.
    picks = _variety(brand, 9)
    if out_of_stock:
        picks.insert(3, out_of_stock.asin)
    star = by_category.get("tents") or (top[0] if top else None)

    key = _Keys("home")
    home_sections = [
        _section(key, "full", _image(
            key, hero, "Snow-capped mountains at dawn above a pine forest",
            phone=hero_phone, link={"page": "tents"})),
        _section(key, "full", _text(
            key, "Made for the trail",
            "Tents, packs, shoes and jackets tested on real mountains, from weekend "
            "walks to long expeditions.", align="center")),
        _section(key, "full", _tile(key, "featured_deals", {"title": "Deals of the week",
                                                            "limit": 5})),
        _section(key, "full", _tile(key, "best_sellers", {"title": "Best sellers",
                                                          "limit": 5})),
    ]
    if shoppable:
        asset, hotspots = shoppable
        home_sections.append(_section(
            key, "halves",
            _tile(key, "shoppable_image", {
                "asset": asset.pk, "hotspots": hotspots, "hide_out_of_stock": False,
                "alt": "A tent, a jacket and a backpack laid out for a weekend trip"}),
            _text(key, "Pack for the weekend",
                  "Everything for two nights out, chosen by our team. Tap a product to "
                  "see it.", items=("Sets up in minutes", "Stays dry in a storm",
                                    "Carries comfortably all day"))))
    if picks:
        home_sections.append(_section(key, "full", _tile(key, "product_grid", {
            "mode": "manual", "title": "Staff picks", "asins": picks,
            "hide_out_of_stock": False})))
    video_row = [_tile(key, "video", {"url": DEMO_VIDEO_URL, "title": "A short film"})]
    if star:
        video_row.append(_tile(key, "product", {"asin": star.asin, "layout": "product_details",
                                                "hide_out_of_stock": False}))
    home_sections.append(_section(key, "halves", *video_row))
    home_sections.append(_section(key, "full", _tile(
        key, "recommended_products", {"title": "Recommended for you", "limit": 5})))

    tk = _Keys("tents")
    tents = {"key": "tents", "parent": "home", "slug": "tents", "title": "Tents", "sections": [
        _section(tk, "full", _image(tk, tents_banner,
                                    "Mountain ridges at sunrise, seen from a campsite")),
        _section(tk, "full", _text(tk, "Tents for every trip",
                                   "From one-person ultralights to family domes.")),
        _section(tk, "full", _grid(tk, title="All tents", category="tents", limit=24)),
    ]}
    sk = _Keys("shoes")
    shoes = {"key": "shoes", "parent": "home", "slug": "shoes", "title": "Shoes", "sections": [
        _section(sk, "full", _text(sk, "Hiking shoes",
                                   "Grip on wet rock, comfort on long descents.")),
        _section(sk, "full", _grid(sk, title="Top rated", category="hiking-shoes",
                                   sort="rating", limit=24)),
    ]}
    rk = _Keys("trail")
    trail = {"key": "trail-running", "parent": "shoes", "slug": "trail-running",
             "title": "Trail running", "sections": [
                 _section(rk, "full", _text(rk, "Light and fast",
                                            "Low-cut shoes for running the trails.")),
                 _section(rk, "full", _grid(rk, title="Low-cut shoes",
                                            category="hiking-shoes", keyword="Low",
                                            sort="price_low", limit=24)),
             ]}
    jackets = _jackets_page(brand, user)
    backpacks = page_template_instantiate(template="product_grid", brand=brand,
                                          page_key="backpacks", parent="home",
                                          slug="backpacks", title="Backpacks")
    for section in backpacks["sections"]:
        for tile in section["tiles"]:
            if tile["type"] == "product_grid":
                tile["config"]["rule"] = {"category": "backpacks", "keyword": None}
    return {
        "name": "Acme Outdoor",
        "theme": {"accent_color": "#0a7d5a"},
        "pages": [{"key": "home", "parent": None, "slug": "", "title": "Home",
                   "sections": home_sections}, tents, shoes, trail, jackets, backpacks],
    }


# The Dutch Store's words: the English document's texts, translated as a brand would.
DUTCH = {
    "Snow-capped mountains at dawn above a pine forest":
        "Besneeuwde bergen bij zonsopgang boven een dennenbos",
    "Made for the trail": "Gemaakt voor het pad",
    "Tents, packs, shoes and jackets tested on real mountains, from weekend walks to long "
    "expeditions.": "Tenten, rugzakken, schoenen en jassen, getest in echte bergen: van "
                    "weekendwandelingen tot lange expedities.",
    "Deals of the week": "Deals van de week",
    "Best sellers": "Bestsellers",
    "A tent, a jacket and a backpack laid out for a weekend trip":
        "Een tent, een jas en een rugzak klaargelegd voor een weekendje weg",
    "Pack for the weekend": "Inpakken voor het weekend",
    "Everything for two nights out, chosen by our team. Tap a product to see it.":
        "Alles voor twee nachten buiten, gekozen door ons team. Tik op een product om het "
        "te bekijken.",
    "Sets up in minutes": "In een paar minuten opgezet",
    "Stays dry in a storm": "Blijft droog in een storm",
    "Carries comfortably all day": "Draagt de hele dag comfortabel",
    "Staff picks": "Favorieten van het team",
    "A short film": "Een korte film",
    "Recommended for you": "Aanbevolen voor jou",
    "Mountain ridges at sunrise, seen from a campsite":
        "Bergkammen bij zonsopgang, gezien vanaf een kampeerplek",
    "Tents for every trip": "Tenten voor elke tocht",
    "From one-person ultralights to family domes.":
        "Van ultralichte eenpersoonstenten tot koepeltenten voor het hele gezin.",
    "All tents": "Alle tenten",
    "Hiking shoes": "Wandelschoenen",
    "Grip on wet rock, comfort on long descents.":
        "Grip op natte rotsen, comfort bij lange afdalingen.",
    "Top rated": "Best beoordeeld",
    "Light and fast": "Licht en snel",
    "Low-cut shoes for running the trails.": "Lage schoenen om over de paden te rennen.",
    "Low-cut shoes": "Lage schoenen",
    "Three Acme Outdoor jackets laid out side by side":
        "Drie jassen van Acme Outdoor naast elkaar",
    "Weather, handled": "Weer of geen weer",
    "Rain shells that breathe on the climb, down that packs into its own pocket, softshells "
    "for windy ridges. Every jacket is tested in the rain before it reaches the shop.":
        "Regenjassen die ademen tijdens de klim, donsjassen die in hun eigen zak passen, "
        "softshells voor winderige bergkammen. Elke jas wordt in de regen getest voordat "
        "hij in de winkel ligt.",
    "All jackets": "Alle jassen",
    "Trail running": "Trailrunning",
    "Tents": "Tenten",
    "Shoes": "Schoenen",
    "Jackets": "Jassen",
    "Backpacks": "Rugzakken",
    "Home": "Start",
    "You may also like": "Misschien vind je dit ook leuk",
    "The collection": "De collectie",
    "Every Acme Outdoor favourite in one place, kept up to date from the catalogue.":
        "Alle favorieten van Acme Outdoor op één plek, altijd bijgewerkt vanuit de catalogus.",
}
# Demo prices in pounds for the UK Store (a brand sets them per marketplace).
UK_PRICE_RATE = Decimal("0.86")


def _dutch(value):
    """`value` (a document or part of one) with every known English text in Dutch."""
    if isinstance(value, dict):
        return {k: v if k in ("key", "parent", "slug", "type", "layout", "mode", "sort",
                              "asins", "asin", "rule", "url") else _dutch(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_dutch(item) for item in value]
    if isinstance(value, str):
        if value in DUTCH:
            return DUTCH[value]
        for english in sorted(DUTCH, key=len, reverse=True):
            # Whole texts inside HTML (headings, paragraphs, list items).
            value = value.replace(f">{english}<", f">{DUTCH[english]}<")
        return value
    return value


def _acme_document_nl(brand: Brand, user) -> dict:
    return _dutch(_acme_document(brand, user))


def _prices_in(marketplace: str, brand: Brand) -> None:
    """Prices in pounds for the brand's products that have none on `marketplace` yet."""
    have = set(ProductPrice.objects.filter(marketplace_id=marketplace, product__brand=brand)
               .values_list("product_id", flat=True))
    ProductPrice.objects.bulk_create([
        ProductPrice(product=product, marketplace_id=marketplace,
                     price=max((product.price * UK_PRICE_RATE).quantize(Decimal("1"))
                               - Decimal("0.01"), Decimal("0.99")))
        for product in Product.objects.filter(brand=brand).exclude(pk__in=have)])


# --- Nordic Home -------------------------------------------------------------------------


def _nordic_document(brand: Brand, user) -> dict:
    hero = _asset(brand, user, "nordic-hero.jpg", landscape(2400, 900, palette=FJORD, seed=11))
    hero_phone = _asset(brand, user, "nordic-hero-phone.jpg",
                        landscape(1200, 1200, palette=FJORD, seed=11))
    picks = [p.asin for p in _in_stock(brand)[:10]]
    key = _Keys("home")
    sections = [
        _section(key, "full", _image(key, hero, "A quiet fjord under a pale morning sun",
                                     phone=hero_phone)),
        _section(key, "full", _text(key, "Slow living, Nordic style",
                                    "Stoneware, wool and warm light for calm homes.",
                                    align="center")),
        _section(key, "full", _tile(key, "best_sellers", {"title": "Best sellers",
                                                          "limit": 5})),
        _section(key, "full", _tile(key, "featured_deals", {"title": "On offer",
                                                            "limit": 5})),
    ]
    if picks:
        sections.append(_section(key, "full", _tile(key, "product_grid", {
            "mode": "manual", "title": "Editor's choice", "asins": picks,
            "hide_out_of_stock": False})))
    lk = _Keys("living")
    living = {"key": "living-room", "parent": "home", "slug": "living-room",
              "title": "Living room", "sections": [
                  _section(lk, "full", _grid(lk, title="Cushions", category="cushions")),
                  _section(lk, "full", _grid(lk, title="Throws", category="blankets")),
                  _section(lk, "full", _grid(lk, title="Candles", category="candles")),
              ]}
    kitchen = page_template_instantiate(template="product_grid", brand=brand,
                                        page_key="kitchen", parent="home", slug="kitchen",
                                        title="Kitchen")
    for section in kitchen["sections"]:
        for tile in section["tiles"]:
            if tile["type"] == "product_grid":
                tile["config"]["rule"] = {"category": "mugs", "keyword": None}
    return {"name": "Nordic Home", "theme": {"accent_color": "#4f6d8f"},
            "pages": [{"key": "home", "parent": None, "slug": "", "title": "Home",
                       "sections": sections}, living, kitchen]}


def _renditions_make(name: str) -> bool:
    try:
        renditions_ensure(name)
        return True
    except RenditionError:
        return False


def _card_pictures(brands: list[Brand]) -> list[str]:
    """Each product's first picture (the one product cards show), once: products drawn
    alike share a picture (see catalog.demo)."""
    first: dict[int, str] = {}
    for product_id, name in (ProductImage.objects.filter(product__brand__in=brands)
                             .order_by("product_id", "position", "id")
                             .values_list("product_id", "image")):
        first.setdefault(product_id, name)
    return sorted(set(first.values()))


STORES = (
    # (slug, name, brand slug, username, marketplace, document builder)
    ("acme-outdoor", "Acme Outdoor", "acme-outdoor", "seller", "uk", _acme_document),
    ("acme-outdoor-nl", "Acme Outdoor", "acme-outdoor", "seller", "nl", _acme_document_nl),
    ("nordic-home", "Nordic Home", "nordic-home", "vendor", "ie", _nordic_document),
)


def seed(*, password: str, stdout=None) -> list[str]:
    """Publishes the demo Stores that are not published yet; returns their URLs."""
    site = settings.SITE_URL.rstrip("/")
    users = get_user_model().objects
    lines: list[str] = []
    found = [(spec, Brand.objects.filter(slug=spec[2]).first(),
              users.filter(username=spec[3]).first()) for spec in STORES]
    brands = [brand for _spec, brand, user in found if brand and user]
    # The renditions of the product card pictures are made now, so the first page views
    # are fast (a product page makes those of its other pictures on first view). They are
    # made in the background while the Stores are built: a few threads, since Pillow
    # releases the GIL while resizing and encoding.
    with ThreadPoolExecutor(max_workers=4) as pool:
        if brands and stdout:
            stdout.write("  making renditions of the product pictures…")
        made = pool.map(_renditions_make, _card_pictures(brands))
        for (slug, name, brand_slug, username, marketplace, build), brand, user in found:
            if brand is None or user is None:
                lines.append(f"Demo Store {slug}: skipped (brand {brand_slug} or user "
                             f"{username} missing; seed the catalogue first).")
                continue
            store = Store.objects.filter(slug=slug).first()
            if store is None or store.published_version_id is None:
                if stdout:
                    stdout.write(f"  publishing the demo Store {slug}…")
                if marketplace == "uk":
                    _prices_in(marketplace, brand)
                store = _publish(brand=brand, user=user, name=name, slug=slug,
                                 document=build(brand, user), marketplace=marketplace)
            pages = store.published_version.document["pages"]
            lines.append(f"Store {name} ({len(pages)} pages): {site}/stores/{slug}/")
            by_key = {page["key"]: page for page in pages}
            for page in pages:
                if page["parent"] is None:
                    continue
                path, cursor = [], page
                while cursor and cursor["parent"] is not None:
                    path.insert(0, cursor["slug"])
                    cursor = by_key.get(cursor["parent"])
                lines.append(f"  {page['title']}: {site}/stores/{slug}/{'/'.join(path)}/")
        sum(made)  # waits for the renditions; raises what a worker raised
    return lines
