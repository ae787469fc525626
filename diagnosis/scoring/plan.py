"""The city plan a result is measured against: its name, source and validity, and whether it has
expired on a given day."""
from __future__ import annotations

import datetime
from typing import Any


def plan_info(targets: dict) -> dict[str, Any]:
    plan = targets["plan"]
    return {"name": plan["name"], "short": plan["short"], "status": plan.get("status"), "source": plan["source"],
            "valid_from": plan["valid_from"], "valid_to": plan["valid_to"], "target_year": targets["year"],
            "after_expiry": plan["after_expiry"]}


def plan_status(plan: dict[str, Any] | None, on: datetime.date) -> dict[str, Any] | None:
    """Whether the plan is in force on ``on`` (the diagnosis date), with the sentence the result page
    and the report print."""
    if not plan:
        return None
    valid_to = datetime.date.fromisoformat(plan["valid_to"])
    expired = on > valid_to
    name = f"《{plan['name']}》" + (f"（{plan['status']}）" if plan.get("status") else "")
    if expired:
        text = (f"关键指标对照{name}的 {plan['target_year']} 年目标。该计划有效期至 {valid_to.year}年{valid_to.month}月"
                f"{valid_to.day}日，{plan['after_expiry']}")
    else:
        text = f"关键指标对照{name}的 {plan['target_year']} 年目标（有效期至 {valid_to.year}年{valid_to.month}月{valid_to.day}日）。"
    return {"expired": expired, "text": text, "source": plan["source"], "name": plan["name"]}
