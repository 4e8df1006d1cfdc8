"""Whether a draft may be submitted: complete, and free of blocking automated findings.

The builder shows the same findings while the brand edits (GET …/draft/findings/), and
submitting is refused with them, so a brand never waits for a rejection it could have
seen coming.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from catalog.marketplaces import marketplace_get
from stores.documents import document_validate
from stores.models import Store

from .checks import BLOCKING, draft_findings
from .checks.base import finding_message
from .errors import DraftNotReady


@dataclass(frozen=True)
class Readiness:
    incomplete: list[dict]  # required values not given yet, each with its place
    findings: list[dict]  # automated findings, in the public shape

    @property
    def blocking(self) -> list[dict]:
        return [f for f in self.findings if f["severity"] == BLOCKING]

    @property
    def ready(self) -> bool:
        return not self.incomplete and not self.blocking


def public_finding(finding: dict) -> dict:
    """A finding as the API and the builder show it: always marked as automated."""
    return {
        "severity": finding["severity"], "code": finding["check_name"],
        "reason": finding["reason_code"], "page": finding["page"] or None,
        "section": finding["section"] or None, "tile": finding["tile"] or None,
        "message": finding_message(finding), "source": "automated",
    }


def draft_readiness(*, store: Store) -> Readiness:
    """The draft's missing values and automated findings. Raises DocumentInvalid when the
    draft breaks a rule (it was saved under older rules)."""
    validated = document_validate(store.draft, brand=store.brand)
    findings = draft_findings(document=validated.document, brand=store.brand,
                              language=marketplace_get(store.marketplace_id).language)
    return Readiness(validated.incomplete, [public_finding(f) for f in findings])


def draft_require_ready(*, store: Store) -> None:
    """Raises DraftNotReady (with the reasons) unless the draft may be submitted."""
    readiness = draft_readiness(store=store)
    if readiness.ready:
        return
    if readiness.incomplete:
        message = _("The draft is not complete yet: %(first)s") % {
            "first": readiness.incomplete[0]["message"]}
    else:
        message = _("The automated checks found a problem to fix first: %(first)s") % {
            "first": readiness.blocking[0]["message"]}
    raise DraftNotReady(message, details={"incomplete": readiness.incomplete,
                                          "findings": readiness.blocking})
