"""The builder's pages: my Stores (with the create form) and the editor of one Store.

The editor is a page of plain JavaScript modules (static/builder/) talking to the REST API
(stores.api); these views only check who may see what and hand the page its data through
`data-*` attributes (the Content Security Policy allows no inline script).
"""
from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from catalog.marketplaces import default_marketplace_code, marketplaces_all
from catalog.preferences import user_time_zone
from catalog.selectors import brands_for_user, store_eligibility
from config.errors import DomainError

from ..content_policy import document_limits
from ..documents import section_layouts
from ..page_templates import MARQUEE, PAGE_TEMPLATES
from ..permissions import store_for_user, visible_stores
from ..rendering import STOCK_MODES, render_store_page


class StoreCreateForm(forms.Form):
    brand = forms.ChoiceField(label=gettext_lazy("Brand"))
    name = forms.CharField(label=gettext_lazy("Store name"), max_length=120)
    marketplace = forms.ChoiceField(label=gettext_lazy("Marketplace"), required=False)
    template = forms.ChoiceField(
        label=gettext_lazy("Start the home page from"), widget=forms.RadioSelect,
        choices=[(key, value["label"]) for key, value in PAGE_TEMPLATES.items()],
        initial=MARQUEE, required=False,
    )

    def __init__(self, *args, brands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["marketplace"].choices = [
            (m.code, f"{m.domain} ({m.code})") for m in marketplaces_all().values()]
        self.fields["marketplace"].initial = default_marketplace_code()
        self.brands = {str(brand.pk): brand for brand in brands}
        self.fields["brand"].choices = [(key, b.name) for key, b in self.brands.items()]

    def clean_brand(self):
        return self.brands[self.cleaned_data["brand"]]


def brand_choices(user) -> tuple[list, list]:
    """(eligible brands, [(brand, reason)] for brands the user acts for but may not use)."""
    eligible, refused = [], []
    for brand in brands_for_user(user=user).order_by("name"):
        eligibility = store_eligibility(user=user, brand=brand)
        if eligibility.allowed:
            eligible.append(brand)
        else:
            refused.append((brand, eligibility.reason))
    return eligible, refused


@login_required
def builder_home(request):
    """My Stores with their status, and a form to create one for an eligible brand."""
    from ..services import store_create
    from .services import store_start_from_template

    eligible, refused = brand_choices(request.user)
    form = StoreCreateForm(request.POST or None, brands=eligible)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                store = store_create(
                    user=request.user, brand=form.cleaned_data["brand"],
                    name=form.cleaned_data["name"],
                    marketplace=form.cleaned_data["marketplace"] or None,
                )
                if form.cleaned_data.get("template"):
                    store_start_from_template(store=store, user=request.user,
                                              template=form.cleaned_data["template"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("builder-editor", store_id=store.pk)
    stores = [
        {"store": store, "status": store.status, "status_label": store.status_label}
        for store in visible_stores(user=request.user)
    ]
    return render(
        request,
        "builder/home.html",
        {"stores": stores, "form": form, "eligible": eligible, "refused": refused,
         "templates": [{"key": key, **value} for key, value in PAGE_TEMPLATES.items()]},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def builder_editor(request, store_id: int):
    """The editor of one Store (another brand's Store: 404)."""
    store = store_for_user(user=request.user, store_id=store_id)
    eligibility = store_eligibility(user=request.user, brand=store.brand)
    return render(
        request,
        "builder/editor.html",
        {
            "store": store,
            "status_label": store.status_label,
            "limits": document_limits(),
            "section_layouts": section_layouts(),
            "can_edit": eligibility.allowed,
            "eligibility": eligibility,
            "time_zone": user_time_zone(request.user),
        },
    )


@login_required
@require_safe
def builder_canvas(request, store_id: int):
    """The editor's live canvas: one page of the saved draft, rendered by the same compile
    and assemble path as the shopper page, with the chosen stock scenario.

    Links between pages become `#page=<key>` (the editor switches page instead of
    navigating); the canvas stylesheet (selection outlines, placeholders) and SortableJS
    are added for the editor, which drives the frame from outside (same origin)."""
    store = store_for_user(user=request.user, store_id=store_id)
    stock_mode = request.GET.get("stock", "live")
    if stock_mode not in STOCK_MODES:
        return HttpResponseBadRequest(_("Unknown stock scenario."))
    try:
        html = render_store_page(
            request, store=store, document=store.draft, page_key=request.GET.get("page") or None,
            stock_mode=stock_mode, preview=True, page_url=lambda key: f"#page={key}",
        )
    except LookupError:
        raise Http404(_("No such page in the draft.")) from None
    head = format_html('<link rel="stylesheet" href="{}">', static("builder/canvas-frame.css"))
    tail = format_html('<script src="{}"></script>', static("vendor/sortablejs/Sortable.min.js"))
    html = html.replace("</head>", f"{head}</head>", 1).replace("</body>", f"{tail}</body>", 1)
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
