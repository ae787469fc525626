"""Consistency checks: self-ratings against each other and against the figures the enterprise entered.

Each check is a pure function of the scored diagnosis. A flag names what disagrees, in Chinese, and
the answers to look at; the enterprise corrects them or explains (an answer ``explain.<flag id>``),
and the flags with their explanations are stored on the result for providers, bureaus and the report.
Thresholds are this system's reading of what is plausible, not rules of the instruments.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .figures import Figures, implied_option
from ..numbers import pct

EXPLAIN_PREFIX = "explain."
EXPLANATION_MAX = 500
WARNING, NOTICE = "warning", "notice"
SEVERITY_LABELS = {WARNING: "需核对", NOTICE: "提示"}
RULE = ("提交前系统核对各部分答案是否相互印证：成熟度自评与设备联网率、数字化水平等级是否相称，所选区间或变化方向"
        "与填写的数字是否一致，场景等级与信息系统、数据采集的答案是否矛盾。“需核对”的项目请修改答案或填写说明；"
        "说明随诊断结果保存，服务商和主管部门可以看到。核对的尺度是本系统的经验判断，不是评测标准的规定。")

# Maturity level -> the networking rate below which the self-rating is implausible (our reading: from
# level 3 on the model requires equipment and systems to be integrated).
NETWORKING_FOR_LEVEL = {3: 0.3, 4: 0.5, 5: 0.6}
FIXED_IDS = ("cmmm-vs-networking", "cmmm-vs-sme", "cmmm-uniform", "systems-vs-scenes", "collection-vs-scenes",
             "network-vs-networking", "cloud-equipment-vs-networking", "networked-above-digitized")


@dataclass
class Inputs:
    profile: dict[str, Any]
    answers: dict[str, Any]
    indicators: dict[str, float | None]
    indicator_details: dict[str, dict]
    sme: dict | None
    cmmm: dict | None
    figs: Figures | None
    cmmm_doc: dict | None
    cmmm_items: dict[int, tuple[str, ...]] | None
    level_names: dict[int, str] = field(default_factory=dict)


def known_ids(figs: Figures | None) -> set[str]:
    return set(FIXED_IDS) | {f"implied-{qid}" for qid in (figs.implied if figs else {})}


def _flag(fid: str, severity: str, title: str, message: str, part: str, keys: list[str]) -> dict[str, Any]:
    return {"id": fid, "severity": severity, "severity_label": SEVERITY_LABELS[severity], "title": title,
            "message": message, "part": part, "keys": keys}


def _networking_text(i: Inputs) -> str:
    rate = i.indicators.get("networking_rate")
    detail = i.indicator_details.get("networking_rate") or {}
    total, networked = i.profile.get("equipment_total"), i.profile.get("equipment_networked")
    if detail.get("source") == "profile" and total:
        return f"生产设备联网率 {pct(rate)}（{networked}/{total} 台）"
    return f"生产设备联网率约 {pct(rate)}（{detail.get('basis', '')}）" if detail.get("estimated") else f"生产设备联网率 {pct(rate)}"


def cmmm_vs_networking(i: Inputs) -> dict | None:
    if not i.cmmm or i.indicators.get("networking_rate") is None:
        return None
    level, rate = i.cmmm["level"], i.indicators["networking_rate"]
    needed = max((v for lv, v in NETWORKING_FOR_LEVEL.items() if level >= lv), default=None)
    if needed is None or rate >= needed:
        return None
    name = i.level_names.get(level, f"{level}级")
    return _flag("cmmm-vs-networking", WARNING, "成熟度自评偏高：设备联网率低",
                 f"智能制造能力成熟度自评为{name}，但{_networking_text(i)}。三级（集成级）起要求装备和系统集成、"
                 f"跨业务共享数据，联网设备这么少时难以满足，请逐条核对成熟度各级的评分，或说明情况。",
                 "cmmm", ["answers.cmmm", "profile.equipment_networked"])


def cmmm_vs_sme(i: Inputs) -> dict | None:
    if not i.cmmm or not i.sme:
        return None
    level, grade = i.cmmm["level"], i.sme["grade"]
    if level < grade + 2 or level < 2:
        return None
    return _flag("cmmm-vs-sme", WARNING, "两项评估结果相差过大",
                 f"智能制造能力成熟度自评为{i.level_names.get(level, level)}，而数字化水平评测为{i.sme['grade_label']}"
                 f"（{i.sme['total']:g} 分）。两者衡量的能力相近，相差两级以上时通常是成熟度评分偏高，请核对。",
                 "cmmm", ["answers.cmmm", "answers.sme"])


def cmmm_uniform(i: Inputs) -> dict | None:
    if not i.cmmm or i.cmmm_doc is None or i.cmmm["level"] < 2:     # uniform ratings inflate only upwards
        return None
    get = i.answers.get
    ratings = [v for level in range(1, i.cmmm["asked_up_to"] + 1) for item in i.cmmm_items[level]
               if (v := get(item)) is not None]
    if len(ratings) < 20:
        return None
    top = max(set(ratings), key=ratings.count)
    share = ratings.count(top) / len(ratings)
    if top < 0.8 or share < 0.9:
        return None
    label = next((s["label"] for s in i.cmmm_doc["scale"] if float(s["value"]) == float(top)), str(top))
    return _flag("cmmm-uniform", WARNING if i.cmmm["level"] >= 3 else NOTICE, "成熟度条目评分几乎全部相同",
                 f"成熟度评估已作答的 {len(ratings)} 条要求中，{ratings.count(top)} 条都评为“{label}”，"
                 f"由此得到{i.level_names.get(i.cmmm['level'], i.cmmm['level'])}。请对照每条要求的示例证据逐条判断，"
                 "没有证据的条目评为“部分满足”或“不满足”。", "cmmm", ["answers.cmmm"])


def implied_checks(i: Inputs) -> list[dict]:
    out = []
    if not i.figs or not i.sme:
        return out
    for qid in i.figs.implied:
        chosen = i.answers.get(qid)
        if chosen is None:
            continue
        implied = implied_option(i.figs, qid, i.profile, i.answers, text=False)
        if implied is None or implied["option"] == chosen:
            continue
        implied = implied_option(i.figs, qid, i.profile, i.answers)
        q = i.figs.questions[qid]
        text = next(o["text"] for o in q["options"] if o["key"] == chosen)
        n = int(qid[1:]) if qid[1:].isdigit() else qid
        keys = [f"answers.{qid}"]
        for k in implied["figures"]:
            src = i.figs.from_profile.get(k)
            if src and i.profile.get(src) is not None:
                keys.append(f"profile.{src}")
            else:
                keys.append(f"answers.{k}" if k in i.figs.collects else f"profile.{k}")
        out.append(_flag(f"implied-{qid}", WARNING, f"第{n}题（{q.get('topic') or q['text']}）与填写的数字不符",
                         f"第{n}题选择了“{chosen}. {text}”，但{implied['text']}。请修改选项或核对数字；"
                         "确实如此时请说明原因。", "sme", keys))
    return out


SYSTEM_SCENE_LEVEL = 2


def systems_vs_scenes(i: Inputs) -> dict | None:
    if not i.sme or i.answers.get("Q05") not in ("A", "B"):
        return None
    with_system = [s for sid, s in i.sme["scenes"].items() if i.answers.get(sid, 0) >= SYSTEM_SCENE_LEVEL]
    if i.answers["Q05"] == "A" and with_system:
        severity, lead = WARNING, "第5题选择“没有使用信息系统”"
    elif i.answers["Q05"] == "B" and len(with_system) >= 3:
        severity, lead = NOTICE, "第5题选择“只覆盖一个业务环节”"
    else:
        return None
    names = "、".join(s["name"] for s in with_system[:6]) + ("等" if len(with_system) > 6 else "")
    return _flag("systems-vs-scenes", severity, "信息系统覆盖与场景等级不符",
                 f"{lead}，但{names}共 {len(with_system)} 个场景选择了二级及以上（二级指用信息系统规范管理）。"
                 "请核对第5题或这些场景的等级。", "sme", ["answers.Q05"] + [f"answers.{sid}" for sid, s in i.sme["scenes"].items()
                                                             if i.answers.get(sid, 0) >= SYSTEM_SCENE_LEVEL])


REALTIME_SCENES = ("S06", "S07", "S08", "S10")


def collection_vs_scenes(i: Inputs) -> dict | None:
    if not i.sme or i.answers.get("Q04") != ["A"]:
        return None
    realtime = [sid for sid in REALTIME_SCENES if i.answers.get(sid, 0) >= 3]
    if not realtime:
        return None
    names = "、".join(i.sme["scenes"][sid]["name"] for sid in realtime)
    return _flag("collection-vs-scenes", WARNING, "数据采集与场景等级不符",
                 f"第4题选择“没有任何环节能自动采集数据”，但{names}场景选择了三级及以上（三级要求实时采集数据）。"
                 "请核对第4题或这些场景的等级。", "sme", ["answers.Q04"] + [f"answers.{sid}" for sid in realtime])


def network_vs_networking(i: Inputs) -> dict | None:
    if not i.sme or i.answers.get("Q01") != ["A"]:
        return None
    rate = i.indicators.get("networking_rate")
    if rate is None or rate < 0.1:
        return None
    return _flag("network-vs-networking", WARNING, "网络建设与设备联网不符",
                 f"第1题选择“以上网络都没有”，但{_networking_text(i)}。设备联网需要车间网络，请核对。",
                 "sme", ["answers.Q01", "profile.equipment_networked"])


def cloud_equipment_vs_networking(i: Inputs) -> dict | None:
    layers = i.profile.get("cloud_layers") or []
    rate = i.indicators.get("networking_rate")
    if "equipment" not in layers or rate is None or rate > 0:
        return None
    return _flag("cloud-equipment-vs-networking", WARNING, "设备上云与设备联网不符",
                 "企业概况选择了“设备和产品上云”，但没有已联网的生产设备。设备数据上云需要设备先联网，请核对。",
                 "profile", ["profile.cloud_layers", "profile.equipment_networked"])


def networked_above_digitized(i: Inputs) -> dict | None:
    networked, digitized = i.profile.get("equipment_networked"), i.profile.get("equipment_digitized")
    if networked is None or digitized is None or networked <= digitized:
        return None
    return _flag("networked-above-digitized", NOTICE, "联网设备多于数字化设备",
                 f"已联网的生产设备（{networked} 台）多于数字化生产设备（{digitized} 台）。能联网的设备一般也是数字化设备，"
                 "请核对两个数量。", "profile", ["profile.equipment_networked", "profile.equipment_digitized"])


CHECKS: tuple[Callable[[Inputs], Any], ...] = (
    cmmm_vs_networking, cmmm_vs_sme, cmmm_uniform, implied_checks, systems_vs_scenes, collection_vs_scenes,
    network_vs_networking, cloud_equipment_vs_networking, networked_above_digitized,
)


def check(inputs: Inputs) -> dict[str, Any]:
    """All flags of a diagnosis, each with the enterprise's explanation where it gave one."""
    flags = []
    for fn in CHECKS:
        found = fn(inputs)
        for flag in (found if isinstance(found, list) else [found] if found else []):
            note = inputs.answers.get(EXPLAIN_PREFIX + flag["id"])
            flag["explanation"] = note if isinstance(note, str) and note.strip() else None
            flags.append(flag)
    warnings = [f for f in flags if f["severity"] == WARNING]
    return {"flags": flags, "warnings": len(warnings),
            "unexplained": sum(1 for f in warnings if not f["explanation"])}


def check_explanation(key: str, value: Any, ids: set[str], where: str):
    """Validate an ``explain.<flag id>`` answer; returns the cleaned text (None = withdrawn)."""
    from .errors import ScoreInputError
    fid = key[len(EXPLAIN_PREFIX):]
    if fid not in ids:
        raise ScoreInputError(where, f"未知的核对项 {fid!r}")
    if value is None:
        return None
    if not isinstance(value, str):
        raise ScoreInputError(where, f"说明应为文字，收到 {value!r}")
    text = value.strip()
    if len(text) > EXPLANATION_MAX:
        raise ScoreInputError(where, f"说明不能超过 {EXPLANATION_MAX} 字")
    return text or None
