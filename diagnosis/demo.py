"""Demo data: one account per role and a complete, submitted demo diagnosis.

``demo_payload`` is the single definition of the demo answers; seeding, tests and benchmarks use it.
"""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any


DEMO_ENTERPRISE = {
    "name": "许昌智造示范机械有限公司",
    "credit_code": "91411000MA45XC8D1W",
    "area_code": "jingkai",
    "industry_code": "34",
    "contact_name": "王立新",
    "contact_phone": "13803740001",
}
DEMO_PROVIDER = {               # the demo provider user's organization (approved)
    "credit_code": "91411000MA47B3Q9L7",
    "specialties": ["mes", "robotics", "lianghua"],
    "service_areas": [],        # the whole city
    "contact_name": "李工",
    "contact_phone": "13803740002",
    "description": "面向装备制造企业的智能制造诊断、MES 实施与机器人工作站集成。",
}
DEMO_USERS = [
    ("enterprise", "enterprise@demo.zhizao.cn", "王立新", "许昌智造示范机械有限公司", None),
    ("provider", "provider@demo.zhizao.cn", "李工", "中原智能制造咨询服务有限公司", None),
    ("bureau", "bureau@demo.zhizao.cn", "市工信局", "许昌市工业和信息化局", None),
    ("admin", "admin@demo.zhizao.cn", "系统管理员", "智造诊断", None),
]


def demo_profile() -> dict[str, Any]:
    return {
        "revenue": 38600, "headcount": 420, "industry_type": "discrete",
        "equipment_total": 180, "equipment_digitized": 96, "equipment_networked": 58,
        "key_processes_total": 24, "key_processes_nc": 15, "robots": 6, "smart_lines": 1, "smart_workshops": 0,
        "manual_handling_workers": 28, "palletizing_workers": 8, "loading_workers": 22,
        "welding_cutting_workers": 16, "packaging_workers": 10, "inspection_workers": 12,
        "cloud_layers": ["infrastructure"], "lianghua_status": "benchmarked",
    }


def demo_answers(cmmm_doc: dict | None) -> dict[str, Any]:
    """A mid-maturity enterprise: SME grade 二级, maturity 二级 with part of 三级 met."""
    answers: dict[str, Any] = {
        "Q01": ["B", "C"], "Q02": "D", "Q03": "C", "Q04": ["B", "C", "G", "H", "I", "L", "N"], "Q05": "C",
        "Q06": ["B", "C"], "Q07": ["C"], "Q08": "D", "Q09": ["B", "C"], "Q10": ["B", "D"], "Q11": "A",
        "Q11.amount": 420, "Q12": "C", "Q12.energy_last_year": 5200, "Q12.energy_prev_year": 5600,
        "Q13": "C", "Q13.pass_rate": 98.2, "Q14": "C", "Q14.revenue_last_year": 38600,
        "Q14.revenue_prev_year": 35200, "Q14.headcount_last_year": 420, "Q14.headcount_prev_year": 436,
        "Q15": "B", "Q15.cost_last_year": 31000, "Q15.cost_prev_year": 28400,
        "S01": 2, "S02": 2, "S03": 2, "S04": 1, "S05": 2, "S06": 2, "S07": 2, "S08": 1,
        "S09": 2, "S10": 1, "S11": 2, "S12": 1, "S13": 3, "S14": 2, "S15": 3, "S16": 1,
    }
    if cmmm_doc is None:
        return answers
    weak = {"energy", "product_service", "logistics", "data"}
    for sd in cmmm_doc["subdomains"]:
        for level, items in sd["levels"].items():
            level = int(level)
            for n, item in enumerate(items):
                if level == 1:
                    value = 1.0 if n == 0 else 0.8
                elif level == 2:
                    value = 0.5 if sd["key"] in weak and n == 1 else (1.0 if n == 0 else 0.8)
                elif level == 3:
                    value = 0.5 if sd["key"] not in weak else 0.0
                    if sd["key"] in {"equipment", "operations", "sales"} and n == 0:
                        value = 0.8
                else:
                    continue
                answers[item["id"]] = value
    return answers


def demo_payload(library, questionnaire: str = "zhizao-2024") -> dict[str, Any]:
    doc = library[questionnaire]
    parts = doc.data["parts"] if doc.kind == "suite" else [doc.key]
    cmmm = next((library[p] for p in parts if library[p].kind == "cmmm"), None)
    return {"questionnaire": questionnaire, "profile": demo_profile(),
            "answers": demo_answers(cmmm.data if cmmm else None)}


def ensure_demo() -> list[str]:
    """Create what is missing of the demo; returns lines to print (passwords only when created)."""
    from flask import current_app
    from sqlalchemy import select

    from . import catalog
    from .accounts.models import Enterprise, Role, User
    from .accounts.services import create_user
    from .assessments import reviews, services, sharing
    from .assessments.models import Diagnosis
    from .extensions import db
    from .reference.models import Area

    lines: list[str] = []
    enterprise = db.session.scalar(select(Enterprise).filter_by(credit_code=DEMO_ENTERPRISE["credit_code"]))
    if enterprise is None:
        area = db.session.scalar(select(Area).filter_by(code=DEMO_ENTERPRISE["area_code"]))
        enterprise = Enterprise(name=DEMO_ENTERPRISE["name"], credit_code=DEMO_ENTERPRISE["credit_code"],
                                area=area, industry_code=DEMO_ENTERPRISE["industry_code"], above_scale=True,
                                contact_name=DEMO_ENTERPRISE["contact_name"],
                                contact_phone=DEMO_ENTERPRISE["contact_phone"])
        db.session.add(enterprise)
        db.session.commit()
    created = []
    for role, email, name, org, area_code in DEMO_USERS:
        if db.session.scalar(select(User.id).filter_by(email=email)) is not None:
            continue
        password = secrets.token_urlsafe(9)
        create_user(email, password, Role(role), name=name, organization=org,
                    enterprise=enterprise if role == "enterprise" else None)
        created.append((Role(role).label, email, password))
    if created:
        lines.append("Demo accounts (passwords are shown only now; also saved to instance/demo-accounts.txt):")
        lines += [f"  {label:<6} {email:<28} {password}" for label, email, password in created]
        path = Path(current_app.instance_path) / "demo-accounts.txt"
        with path.open("a", encoding="utf-8") as fh:
            fh.writelines(f"{label}\t{email}\t{password}\n" for label, email, password in created)
        path.chmod(0o600)
    else:
        lines.append("Demo accounts exist already (passwords: instance/demo-accounts.txt).")
    provider = db.session.scalar(select(User).filter_by(email=DEMO_USERS[1][1]))
    org = provider.provider_organization if provider is not None else None
    if org is not None and not org.specialties:
        for key, value in DEMO_PROVIDER.items():
            setattr(org, key, value)
        db.session.commit()
    if db.session.scalar(select(Diagnosis.id).filter_by(enterprise_id=enterprise.id)) is None:
        user = db.session.scalar(select(User).filter_by(email=DEMO_USERS[0][1]))
        diagnosis = services.start_diagnosis(user)
        payload = demo_payload(catalog.library(), diagnosis.questionnaire_key)
        services.save_stage(diagnosis, {"profile": payload["profile"], "answers": payload["answers"]})
        services.submit(diagnosis)
        sharing.share_with(diagnosis, provider, user)
        recommended = [r["id"] for r in diagnosis.result.data.get("recommendations", [])]
        added = [u["id"] for u in reviews.catalog_upgrades(diagnosis) if u["id"] not in recommended][:1]
        reviews.publish(diagnosis, provider, reviews.ReviewInput(
            opinion=DEMO_REVIEW, domains=DEMO_DOMAIN_OPINIONS,
            verifications={k: v for k, v in DEMO_CHECKS.items() if k in diagnosis.answers},
            decisions={recommended[0]: {"decision": "accepted"}} if recommended else {}, added=added))
        lines.append(f"Demo diagnosis {diagnosis.number} submitted and shared with the demo provider.")
    return lines


# The demo provider's on-site checks: most verified, one rating found lower than self-assessed.
DEMO_CHECKS = {
    "Q02": {"status": "verified"}, "Q03": {"status": "verified"}, "ST1.1": {"status": "verified"},
    "EQ1.1": {"status": "verified"}, "EQ1.2": {"status": "verified"}, "PS1.1": {"status": "verified"},
    "EQ2.1": {"status": "disputed", "found": 0.5, "comment": "关键设备仅部分联网，数控设备数据未采集"},
    "ST2.1": {"status": "disputed", "found": 0.5, "comment": "规划已起草，尚未经管理层审批"},
}
DEMO_DOMAIN_OPINIONS = {"技术": "设备联网和数据采集是当前最大的短板，建议先做。",
                        "制造": "生产作业和质量管控的流程化程度较好，可作为 MES 上线的基础。"}
DEMO_REVIEW = (
    "经现场核查，企业设备台账、ERP 采购与库存模块、质量检验记录与自评基本一致。建议优先推进关键工序数控化改造和"
    "设备联网，同步上线 MES 打通计划与车间执行；焊接、上下料岗位人工多、劳动强度大，可先建设 1–2 个机器人工作站，"
    "以点带面。两化融合已完成对标，建议 2027 年内申请贯标认证。"
)
