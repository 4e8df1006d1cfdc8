"""Whether a product can be bought right now: one small policy, asked everywhere."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True, slots=True)
class Availability:
    is_available_to_buy: bool
    reason: str  # "in_stock", "out_of_stock" or "inactive"

    @property
    def message(self) -> str:
        return {
            "in_stock": _("In stock"),
            "out_of_stock": _("Currently unavailable"),
            "inactive": _("No longer sold"),
        }[self.reason]


IN_STOCK = Availability(True, "in_stock")
OUT_OF_STOCK = Availability(False, "out_of_stock")
INACTIVE = Availability(False, "inactive")


def availability_for(*, is_active: bool, quantity: int) -> Availability:
    """In stock means: the product is active and its quantity is above zero."""
    if not is_active:
        return INACTIVE
    return IN_STOCK if quantity > 0 else OUT_OF_STOCK
