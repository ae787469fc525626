"""Sharing by consent: an enterprise shares a submitted diagnosis with approved provider
organizations, sees since when and who last opened it, and revokes a share (the row is kept).

Every share, revocation and provider view is recorded in the audit trail.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import ProviderOrganization, Role, User, utcnow
from ..audit.services import record, register_actions
from ..extensions import db
from ..notifications import services as notifications
from .models import SUBMITTED, Diagnosis, Share
from .services import DiagnosisError

register_actions(**{
    "share.create": "分享诊断给服务商",
    "share.revoke": "撤销对服务商的分享",
    "share.view": "服务商查看诊断",
})


def share_with(diagnosis: Diagnosis, target: ProviderOrganization | User, actor: User | None = None,
               notify: bool = True) -> Share:
    """Share with an approved organization (``target`` may be one of its users). Sharing again
    after a revocation makes the share active again, from now. Raises ``DiagnosisError``."""
    org = target.provider_organization if isinstance(target, User) else target
    if diagnosis.status != SUBMITTED:
        raise DiagnosisError("提交后才能分享给服务商")
    if org is None or org.status != "approved":
        raise DiagnosisError("只能分享给已审核通过的服务商")
    share = db.session.scalar(select(Share).filter_by(diagnosis_id=diagnosis.id, organization_id=org.id))
    if share is not None and share.active:
        return share
    if share is None:
        share = Share(diagnosis=diagnosis, organization=org)
        db.session.add(share)
    share.created_at, share.revoked_at, share.revoked_by_id = utcnow(), None, None
    share.created_by_id = actor.id if actor is not None else diagnosis.created_by_id
    try:
        db.session.flush()
        record(actor or diagnosis.created_by, "share.create", diagnosis=diagnosis, target=share,
               organization=org.name)
        db.session.commit()
    except IntegrityError:          # the same share made at the same moment (a second click): keep that one
        db.session.rollback()
        return db.session.scalar(select(Share).filter_by(diagnosis_id=diagnosis.id, organization_id=org.id))
    if notify:
        notifications.notify_organization(org, diagnosis, "share",
                                          f"{diagnosis.enterprise.name} 向贵单位分享了诊断 {diagnosis.number}")
    return share


def revoke(share: Share, actor: User) -> None:
    if share.revoked_at is not None:
        return
    share.revoked_at = utcnow()
    share.revoked_by_id = actor.id
    record(actor, "share.revoke", diagnosis=share.diagnosis, target=share, organization=share.organization.name)
    db.session.commit()


def shares_of(diagnosis: Diagnosis) -> list[Share]:
    """Every share of the diagnosis, active first, newest first."""
    rows = db.session.scalars(select(Share).where(Share.diagnosis_id == diagnosis.id)
                              .order_by(Share.created_at.desc())).all()
    return sorted(rows, key=lambda s: s.revoked_at is not None)


def share_of(diagnosis: Diagnosis, share_id: int) -> Share | None:
    return db.session.scalar(select(Share).where(Share.id == share_id, Share.diagnosis_id == diagnosis.id))


def active_share_for(diagnosis: Diagnosis, user: User) -> Share | None:
    if user.role != Role.PROVIDER or user.provider_organization_id is None:
        return None
    return db.session.scalar(select(Share).where(
        Share.diagnosis_id == diagnosis.id, Share.organization_id == user.provider_organization_id,
        Share.revoked_at.is_(None)))


def opened(diagnosis: Diagnosis, user: User, ip: str = "", what: str = "result") -> None:
    """A provider opened the shared diagnosis (its result page or report): noted on the share and
    in the audit trail."""
    share = active_share_for(diagnosis, user)
    if share is None:
        return
    share.last_opened_at = utcnow()
    share.last_opened_by_id = user.id
    record(user, "share.view", diagnosis=diagnosis, target=share, ip=ip, what=what)
    db.session.commit()


def carry_shares_to_revision(diagnosis: Diagnosis, **_) -> None:
    """A submitted revision answers a provider's request for clarification: it is shared with the
    organizations the revised diagnosis is actively shared with, and they are told."""
    if diagnosis.revision_of_id is None:
        return
    original = db.session.get(Diagnosis, diagnosis.revision_of_id)
    for share in shares_of(original):
        if share.active and share.organization.status == "approved":
            share_with(diagnosis, share.organization, diagnosis.created_by, notify=False)
            notifications.notify_organization(
                share.organization, diagnosis, "revision",
                f"{diagnosis.enterprise.name} 提交了诊断 {original.number} 的修订版 {diagnosis.number}")
