"""The builder's pages: my Stores (with the create form) and the editor of one Store.

The editor is a page of plain JavaScript modules (static/builder/) talking to the REST API
(stores.api); these views only check who may see what and hand the page its data through
`data-*` attributes (the Content Security Policy allows no inline script).
"""
from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from catalog.selectors import brands_for_user, store_eligibility
from config.errors import DomainError

from ..content_policy import document_limits
from ..permissions import store_for_user, visible_stores


class StoreCreateForm(forms.Form):
    brand = forms.ChoiceField(label="Brand")
    name = forms.CharField(label="Store name", max_length=120)

    def __init__(self, *args, brands, **kwargs):
        super().__init__(*args, **kwargs)
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

    eligible, refused = brand_choices(request.user)
    form = StoreCreateForm(request.POST or None, brands=eligible)
    if request.method == "POST" and form.is_valid():
        try:
            store = store_create(
                user=request.user, brand=form.cleaned_data["brand"],
                name=form.cleaned_data["name"],
            )
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
        {"stores": stores, "form": form, "eligible": eligible, "refused": refused},
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
            "can_edit": eligibility.allowed,
            "eligibility": eligibility,
        },
    )
