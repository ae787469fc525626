"""Loads the reference data (areas, industries) from the questionnaire folder into the database."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..instruments import Library
from .models import Area, Industry


def load_reference_data(library: Library) -> dict[str, int]:
    """Insert or update areas and industries. Idempotent: running it twice changes nothing."""
    changed = {"areas": 0, "industries": 0}
    areas = {a.code: a for a in db.session.scalars(select(Area))}
    for position, entry in enumerate(library.single("areas").data["areas"]):
        lead = "、".join(entry.get("industries", []))
        area = areas.get(entry["code"])
        if area is None:
            db.session.add(Area(code=entry["code"], name=entry["name"], lead_industries=lead, position=position))
            changed["areas"] += 1
        elif (area.name, area.lead_industries, area.position) != (entry["name"], lead, position):
            area.name, area.lead_industries, area.position = entry["name"], lead, position
            changed["areas"] += 1
    industries = {i.code: i for i in db.session.scalars(select(Industry))}
    for entry in library.single("industries").data["industries"]:
        ind = industries.get(entry["code"])
        if ind is None:
            db.session.add(Industry(code=entry["code"], name=entry["name"], cmmm_profile=entry["cmmm_profile"]))
            changed["industries"] += 1
        elif (ind.name, ind.cmmm_profile) != (entry["name"], entry["cmmm_profile"]):
            ind.name, ind.cmmm_profile = entry["name"], entry["cmmm_profile"]
            changed["industries"] += 1
    db.session.commit()
    return changed


def area_choices() -> list[tuple[str, str]]:
    return [(str(a.id), a.name) for a in db.session.scalars(select(Area).order_by(Area.position))]


def industry_choices() -> list[tuple[str, str]]:
    return [(i.code, i.label) for i in db.session.scalars(select(Industry).order_by(Industry.code))]
