"""The Stores app's domain errors and their codes (no HTTP here: see config.api)."""
from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _

from config.errors import Conflict, DomainError


class StoreErrorCode(StrEnum):
    INVALID_DOCUMENT = "invalid_document"
    STALE_REVISION = "stale_revision"
    INVALID_STORE = "invalid_store"
    SLUG_TAKEN = "slug_taken"
    NOT_AN_IMAGE = "not_an_image"
    FILE_TOO_LARGE = "file_too_large"
    DECOMPRESSION_BOMB = "decompression_bomb"
    IMAGE_TOO_LARGE = "image_too_large"
    UNSUPPORTED_TYPE = "unsupported_type"


class DocumentInvalid(DomainError):
    """The document breaks a rule; `details` lists every error with its place."""

    code = StoreErrorCode.INVALID_DOCUMENT

    def __init__(self, errors: list[dict]):
        first = errors[0]["message"] if errors else _("The Store document is not valid.")
        super().__init__(_("The Store document is not valid: %(first)s") % {"first": first},
                         details=errors)


class StaleRevision(Conflict):
    """The draft changed since the client read it; `details["current_revision"]` says how far."""

    code = StoreErrorCode.STALE_REVISION

    def __init__(self, current_revision: int):
        super().__init__(
            _("The draft was changed since you loaded it (now revision %(revision)s); reload "
              "it and apply your change again.") % {"revision": current_revision},
            details={"current_revision": current_revision},
        )
        self.current_revision = current_revision


class InvalidStore(DomainError):
    code = StoreErrorCode.INVALID_STORE


class SlugTaken(Conflict):
    code = StoreErrorCode.SLUG_TAKEN
