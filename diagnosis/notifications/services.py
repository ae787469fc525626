"""Writing and reading notifications. Each recipient is checked with ``access.can_view`` when the
notification is made: nobody is told about a diagnosis they may not open."""
from __future__ import annotations

from flask import has_request_context, request, url_for
from sqlalchemy import bindparam, func, select, update

from .. import access, mail
from ..accounts.models import ProviderOrganization, Role, User, utcnow
from ..extensions import db
from .models import Notification

KINDS = {"share": "新的分享", "review": "服务商意见已发布", "returned": "服务商请求补充说明", "revision": "企业提交了修订"}


def _url(diagnosis) -> str:
    if has_request_context():
        return url_for("enterprise.result", diagnosis_id=diagnosis.id)
    return f"/diagnoses/{diagnosis.id}"


def notify(users: list[User], diagnosis, kind: str, text: str) -> list[Notification]:
    """One notification per user who may see ``diagnosis`` (others are skipped), mailed as well
    when an SMTP server is configured."""
    made = []
    for user in users:
        if not user.active or not access.can_view(user, diagnosis):
            continue
        note = Notification(user_id=user.id, kind=kind, diagnosis_id=diagnosis.id, text=text[:500],
                            url=_url(diagnosis))
        db.session.add(note)
        made.append((user, note))
    db.session.commit()
    forget_unread()
    if mail.configured():
        for user, note in made:
            mail.send(user.email, f"智造诊断 · {KINDS.get(kind, kind)}", f"{note.text}\n\n查看：{note.url}\n")
    return [note for _, note in made]


def notify_organization(org: ProviderOrganization, diagnosis, kind: str, text: str) -> list[Notification]:
    users = db.session.scalars(select(User).where(User.provider_organization_id == org.id,
                                                  User.role == Role.PROVIDER)).all()
    return notify(list(users), diagnosis, kind, text)


def notify_enterprise(diagnosis, kind: str, text: str) -> list[Notification]:
    users = db.session.scalars(select(User).where(User.enterprise_id == diagnosis.enterprise_id,
                                                  User.role == Role.ENTERPRISE)).all()
    return notify(list(users), diagnosis, kind, text)


# The header asks on every page: one statement, made once. The signed-in user's row is read with
# the count beside it (``UNREAD_OF_USER``, a subquery of the user query: one round trip less per
# page); the count is kept for that request only, and forgotten when the request writes
# notifications.
_UNREAD = select(func.count(Notification.id)).where(Notification.user_id == bindparam("user_id"),
                                                    Notification.read_at.is_(None))
UNREAD_OF_USER = (select(func.count(Notification.id))
                  .where(Notification.user_id == User.id, Notification.read_at.is_(None)).scalar_subquery())
_REQUEST_KEY = "zhizao.unread_notifications"


def remember_unread(user_id: int, count: int) -> None:
    """The unread count of ``user_id`` read with the user at the start of this request."""
    if has_request_context():
        request.environ[_REQUEST_KEY] = (user_id, count)


def forget_unread() -> None:
    if has_request_context():
        request.environ.pop(_REQUEST_KEY, None)


def unread_count(user: User) -> int:
    if has_request_context():
        kept = request.environ.get(_REQUEST_KEY)
        if kept is not None and kept[0] == user.id:
            return kept[1] or 0
    return db.session.scalar(_UNREAD, {"user_id": user.id}) or 0


def recent(user: User, limit: int = 100) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id.desc()).limit(limit)))


def mark_all_read(user: User) -> None:
    db.session.execute(update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    db.session.commit()
    forget_unread()
