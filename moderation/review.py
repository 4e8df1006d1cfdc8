"""What the review page shows of a submission: the diff against the live version with
images and products resolved, a preview of every changed page, the tiles a rejection
reason may name, and the automated findings linked to their tiles."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.translation import gettext as _

from catalog.models import Product
from stores.documents import find_page
from stores.models import Asset, Store, StoreVersion

from .diff import DocumentDiff, document_diff, tile_heading, type_label

PREVIEW_LIFETIME = timedelta(hours=2)


@dataclass
class PagePreview:
    key: str
    title: str
    change: str
    url: str
    live_url: str | None
    tiles: list[str] = field(default_factory=list)  # keys of its changed tiles


def _preview(store: Store, version: StoreVersion | None, page_key: str) -> str | None:
    from stores.previews import preview_url

    if version is None or find_page(version.document, key=page_key) is None:
        return None
    return preview_url(store=store, version=version, page_key=page_key,
                       expires_in=PREVIEW_LIFETIME)


def review_diff_context(*, submission, live: StoreVersion | None) -> dict:
    """`diff`, `assets` (id → URL), `products` (ASIN → title), `page_previews`,
    `reject_tiles` (every tile of the version, for the reason rows) and `findings`
    (each with `tile_label`). Two queries (assets and products), plus the findings."""
    store, version = submission.store, submission.version
    compared = live if live is not None and live.pk != version.pk else None
    diff: DocumentDiff = document_diff(compared.document if compared else None,
                                       version.document)
    asset_ids, asins = set(), set()
    details = [*diff.store_details,  # the theme's logo and banner, before and after
               *(d for change in [*diff.tiles, *diff.pages] for d in change.details)]
    for detail in details:
        if detail.kind == "image":
            asset_ids.update(a for a in (detail.before, detail.after) if a)
        elif detail.kind == "images":
            asset_ids.update(a for a in [*detail.before, *detail.after] if a)
        elif detail.kind == "products":
            asins.update(detail.added + detail.removed)
        elif detail.kind == "product":
            asins.update(a for a in (detail.before, detail.after) if a)
    for change in diff.tiles:
        if change.change in ("added", "removed"):
            asset_ids.update(a for a in (change.config.get("asset"),) if isinstance(a, int))
            asins.update(a for a in change.config.get("asins") or [] if isinstance(a, str))
            if isinstance(change.config.get("asin"), str):
                asins.add(change.config["asin"])
    assets = {a.pk: a.file.url for a in Asset.objects.filter(
        brand=store.brand_id, pk__in=[a for a in asset_ids if isinstance(a, int)])}
    products = dict(Product.objects.filter(asin__in=asins).values_list("asin", "title"))

    changes = {p.key: p.change for p in diff.pages}
    previews = []
    for key in diff.changed_page_keys():
        page = find_page(version.document, key=key) or {}
        previews.append(PagePreview(
            key=key, title=str(page.get("title", key)), change=changes.get(key, "changed"),
            url=_preview(store, version, key) or "",
            live_url=_preview(store, compared, key) if compared else None,
            tiles=[t.key for t in diff.tiles if t.page == key and t.change != "removed"]))

    reject_tiles, labels = [], {}
    for page in version.document.get("pages") or []:
        for section in page.get("sections") or []:
            for tile in section.get("tiles") or []:
                key = str(tile.get("key"))
                heading = tile_heading(tile)
                label = _("%(page)s · %(type)s") % {"page": page.get("title", ""),
                                                    "type": type_label(str(tile.get("type")))}
                if heading:
                    label = f"{label} “{heading}”"
                change = diff.tile_change(key)
                labels[key] = label
                reject_tiles.append({"key": key, "label": label, "change": change,
                                     "page": page.get("key")})
    findings = list(submission.findings.all())
    for finding in findings:
        finding.tile_label = labels.get(finding.tile, "")
        finding.in_diff = finding.tile and diff.tile_change(finding.tile) is not None
    # Page by page: the page's own change first, then its tiles (submitted order).
    groups: dict[str, dict] = {}
    titles = {str(p.get("key")): str(p.get("title", "")) for doc in (
        compared.document if compared else {}, version.document) for p in doc.get("pages") or []}
    for page_change in diff.pages:
        groups.setdefault(page_change.key, {"key": page_change.key,
                                            "title": titles.get(page_change.key, ""),
                                            "page": None, "tiles": []})["page"] = page_change
    for tile_change in diff.tiles:
        groups.setdefault(tile_change.page, {"key": tile_change.page,
                                             "title": tile_change.page_title,
                                             "page": None, "tiles": []})["tiles"].append(
            tile_change)
    return {
        "diff": diff,
        "diff_groups": list(groups.values()),
        "assets": assets,
        "products": products,
        "page_previews": previews,
        "reject_tiles": reject_tiles,
        "tile_labels": labels,
        "findings": findings,
        "compared": compared,
    }
