"""Writing the audit trail (who may read it is in ``access.visible_events``).

Features record what happened with ``record`` inside the same transaction as the change itself, so
an action and its audit row are committed (or rolled back) together. Actions are dotted names; each
has a Chinese label in ``ACTIONS`` (a feature adds its actions there), and ``record`` refuses an
unknown one so a typo never writes a row nobody can read.
"""
from __future__ import annotations

from typing import Any

from ..accounts.models import User
from ..extensions import db
from .models import AuditEvent

#: action -> what the trail shows (Chinese, for enterprises, bureaus and admins).
ACTIONS: dict[str, str] = {
    "diagnosis.submit": "提交诊断",
    "diagnosis.view": "查看诊断",
    "report.download": "下载诊断报告",
}


def register_actions(**labels: str) -> None:
    """Add a feature's actions (``register_actions(**{"share.create": "分享诊断"})``)."""
    ACTIONS.update(labels)


def record(actor: User | None, action: str, *, diagnosis=None, enterprise=None, target=None,
           ip: str = "", **detail: Any) -> AuditEvent:
    """Add one event to the session (the caller commits it with the change it describes).

    The enterprise and area default to the diagnosis' enterprise; ``target`` is the object acted on
    (its table name and id are kept)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; add it to ACTIONS")
    if enterprise is None and diagnosis is not None:
        enterprise = diagnosis.enterprise
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_role=actor.role.value if actor is not None else "",
        action=action,
        target_type=getattr(target, "__tablename__", "") if target is not None else "",
        target_id=getattr(target, "id", None) if target is not None else None,
        enterprise_id=enterprise.id if enterprise is not None else None,
        area_id=enterprise.area_id if enterprise is not None else None,
        diagnosis_id=diagnosis.id if diagnosis is not None else None,
        detail=detail, ip=ip[:45])
    db.session.add(event)
    return event


def label(action: str) -> str:
    return ACTIONS.get(action, action)
