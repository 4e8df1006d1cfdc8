"""Whether a product can be bought right now: one small policy, asked everywhere.

`is_buyable` (Python) and `BUYABLE_Q` (queries) are the same rule: the product is active
and its quantity is above zero. The product model, the Store renderer, the builder's
stock hints and the products API filter all ask these two, never `quantity > 0` again.
`AT_RISK_QUANTITY` is the one threshold under which a buyable product counts as about to
run out (the builder's stock hint).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A buyable product with this many units or fewer is "at risk" of selling out.
AT_RISK_QUANTITY = 5

BUYABLE_Q = Q(is_active=True, quantity__gt=0)


def is_buyable(*, is_active: bool, quantity: int) -> bool:
    """The rule of `BUYABLE_Q`, for values already in memory."""
    return bool(is_active) and quantity > 0


def is_at_risk(*, is_active: bool, quantity: int) -> bool:
    """Buyable, but with AT_RISK_QUANTITY units or fewer left."""
    return is_buyable(is_active=is_active, quantity=quantity) and quantity <= AT_RISK_QUANTITY


@dataclass(frozen=True, slots=True)
class Availability:
    is_available_to_buy: bool
    reason: str  # "in_stock", "out_of_stock" or "inactive"

    @property
    def message(self) -> str:
        return str({
            "in_stock": _("In stock"),
            "out_of_stock": _("Currently unavailable"),
            "inactive": _("No longer sold"),
        }[self.reason])


IN_STOCK = Availability(True, "in_stock")
OUT_OF_STOCK = Availability(False, "out_of_stock")
INACTIVE = Availability(False, "inactive")


def availability_for(*, is_active: bool, quantity: int) -> Availability:
    """In stock means buyable (`is_buyable`)."""
    if not is_active:
        return INACTIVE
    return IN_STOCK if is_buyable(is_active=is_active, quantity=quantity) else OUT_OF_STOCK
