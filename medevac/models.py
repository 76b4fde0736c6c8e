"""Models shared by every resource: coordinates, pages and list queries."""

import base64
import uuid
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from medevac.errors import invalid

T = TypeVar("T")


class Strict(BaseModel):
    """Input models reject unknown fields: a typo must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class LatLon(Strict):
    lat: float = Field(ge=-90, le=90, description="WGS84 latitude, degrees")
    lon: float = Field(ge=-180, le=180, description="WGS84 longitude, degrees")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(None, description="pass as `cursor` for the next page")


class ListQuery(Strict):
    mission: uuid.UUID | None = Field(None, description="mission (default: the token's)")
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=500)

    @field_validator("cursor")
    @classmethod
    def _cursor_is_ours(cls, value: str | None) -> str | None:
        if value is not None:
            decode_cursor(value)
        return value

    def after_id(self) -> uuid.UUID | None:
        return decode_cursor(self.cursor) if self.cursor else None


def encode_cursor(last_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(last_id.bytes).decode().rstrip("=")


def decode_cursor(cursor: str) -> uuid.UUID:
    try:
        return uuid.UUID(bytes=base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError:
        raise invalid("query.cursor", "not a cursor this service issued") from None


def page_of(items: list, limit: int) -> Page:
    """A page from `limit + 1` fetched rows: the extra row only says there is more."""
    more = len(items) > limit
    items = items[:limit]
    return Page(items=items, next_cursor=encode_cursor(items[-1].id) if more and items else None)
