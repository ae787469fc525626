"""Who may see and change what. Every view, API endpoint and report download goes through here.

- An enterprise user sees and edits its own enterprise's diagnoses (edits only while draft).
- A solution provider user sees submitted diagnoses actively shared with its organization (not
  revoked), only while the organization is approved, and may review those.
- A bureau user sees submitted diagnoses of enterprises in its area (all areas when unscoped).
- An admin sees every submitted diagnosis.
- Bureau figures (roster, coverage, lists, exports, the coverage API) are limited to the bureau
  user's area; a city bureau (no area) and an admin see the whole city (``bureau_area``).
Drafts are the enterprise's own work in progress: nobody else sees them.
"""
from __future__ import annotations

from flask import abort
from sqlalchemy import Select, bindparam, exists, select

from .accounts.models import Enterprise, ProviderOrganization, Role, User
from .assessments.models import SUBMITTED, Diagnosis, Share
from .audit.models import AuditEvent
from .extensions import db


# An enterprise user sees its own enterprise's diagnoses, drafts included. Made once with a bound
# parameter: an enterprise opens its own diagnoses on every stage page and save.
_OWN_DIAGNOSES = select(Diagnosis).where(Diagnosis.enterprise_id == bindparam("enterprise_id"))
_OWN_DIAGNOSIS = _OWN_DIAGNOSES.where(Diagnosis.id == bindparam("diagnosis_id"))


def visible_diagnoses(user: User) -> Select:
    """A query of the diagnoses this user may see."""
    if user.role == Role.ENTERPRISE:
        return _OWN_DIAGNOSES.params(enterprise_id=user.enterprise_id or -1)
    query = select(Diagnosis).where(Diagnosis.status == SUBMITTED)
    if user.role == Role.PROVIDER:
        return query.where(exists().where(
            Share.diagnosis_id == Diagnosis.id, Share.organization_id == (user.provider_organization_id or -1),
            Share.revoked_at.is_(None), ProviderOrganization.id == Share.organization_id,
            ProviderOrganization.status == "approved"))
    if user.role == Role.BUREAU:
        if user.area_id is not None:
            query = query.join(Enterprise, Enterprise.id == Diagnosis.enterprise_id).where(
                Enterprise.area_id == user.area_id)
        return query
    if user.role == Role.ADMIN:
        return query
    return query.where(False)


def can_view(user: User, diagnosis: Diagnosis) -> bool:
    return db.session.scalar(visible_diagnoses(user).where(Diagnosis.id == diagnosis.id).with_only_columns(Diagnosis.id)) is not None


def can_edit(user: User, diagnosis: Diagnosis) -> bool:
    return user.role == Role.ENTERPRISE and user.enterprise_id == diagnosis.enterprise_id and not diagnosis.is_submitted


def can_share(user: User, diagnosis: Diagnosis) -> bool:
    return user.role == Role.ENTERPRISE and user.enterprise_id == diagnosis.enterprise_id and diagnosis.is_submitted


def can_review(user: User, diagnosis: Diagnosis) -> bool:
    return user.role == Role.PROVIDER and can_view(user, diagnosis)


def viewable_or_404(user: User, diagnosis_id: int) -> Diagnosis:
    """The diagnosis if this user may see it; 404 otherwise (never reveals that it exists)."""
    if user.role == Role.ENTERPRISE:
        diagnosis = db.session.scalar(_OWN_DIAGNOSIS, {"enterprise_id": user.enterprise_id or -1,
                                                       "diagnosis_id": diagnosis_id})
    else:
        diagnosis = db.session.scalar(visible_diagnoses(user).where(Diagnosis.id == diagnosis_id))
    if diagnosis is None:
        abort(404)
    return diagnosis


def visible_events(user: User) -> Select:
    """The events this user may read: an enterprise its own, a bureau its area's (all when
    unscoped), an admin everything, a provider what it did itself."""
    query = select(AuditEvent)
    if user.role == Role.ENTERPRISE:
        return query.where(AuditEvent.enterprise_id == (user.enterprise_id or -1))
    if user.role == Role.BUREAU:
        return query if user.area_id is None else query.where(AuditEvent.area_id == user.area_id)
    if user.role == Role.ADMIN:
        return query
    return query.where(AuditEvent.actor_id == user.id)


def bureau_area(user: User) -> int | None:
    """The area whose bureau figures this user sees: its own for an area bureau, None (the whole
    city) for a city bureau or an admin. Any other role gets 404."""
    if user.role == Role.BUREAU:
        return user.area_id
    if user.role == Role.ADMIN:
        return None
    abort(404)


def enterprise_in_scope_or_404(user: User, enterprise_id: int) -> Enterprise:
    """An enterprise a bureau (its area's) or an admin may look up; 404 for anyone else."""
    own = bureau_area(user)
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None or (own is not None and enterprise.area_id != own):
        abort(404)
    return enterprise


def bureau_area_filter(user: User, requested: int | None) -> int | None:
    """The area to show when ``requested`` is asked for: an area bureau always its own (asking for
    another gives 404), a city bureau the one asked for or the whole city."""
    own = bureau_area(user)
    if own is None:
        return requested
    if requested is not None and requested != own:
        abort(404)
    return own
