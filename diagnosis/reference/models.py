from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Area(db.Model):
    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    lead_industries: Mapped[str] = mapped_column(String(400), default="")
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Area {self.code}>"


class Industry(db.Model):
    """A manufacturing division of GB/T 4754-2017 (codes 13-43)."""

    __tablename__ = "industry"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    cmmm_profile: Mapped[str] = mapped_column(String(20))

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"
