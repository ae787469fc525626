"""The columns of the bureau's tables, shared by the pages' exports (XLSX and CSV)."""
from __future__ import annotations

from .coverage import STATUSES, verified_gap
from .exports import Column

COVERAGE = [
    Column("名称", lambda r: r["name"], width=24),
    Column("名录企业", lambda r: r["roster"], "0", 10),
    Column("已注册", lambda r: r["registered"], "0", 10),
    Column("填写中", lambda r: r["drafting"], "0", 10),
    Column("本轮已诊断", lambda r: r["diagnosed"], "0", 12),
    Column("覆盖率", lambda r: r["rate"], "0.0%", 10),
    Column("规划目标", lambda r: r["target"], "0%", 10),
    Column("目标完成度", lambda r: r["of_target"], "0.0%", 12),
]

ENTERPRISES = [
    Column("统一社会信用代码", lambda r: r.credit_code, width=22),
    Column("企业名称", lambda r: r.name, width=32),
    Column("县（市、区）", lambda r: r.area, width=16),
    Column("行业代码", lambda r: r.industry_code, width=8),
    Column("行业", lambda r: r.industry, width=24),
    Column("规模", lambda r: r.scale, width=8),
    Column("状态", lambda r: STATUSES.get(r.status, r.status), width=14),
    Column("最近提交", lambda r: r.submitted_at, "yyyy-mm-dd hh:mm", 18),
    Column("数字化水平等级", lambda r: r.sme_grade, width=10),
    Column("数字化水平", lambda r: r.sme_label or None, width=10),
    Column("成熟度等级", lambda r: r.cmmm_level, width=10),
    Column("服务商审阅", lambda r: r.reviewed_by or None, width=20),
    Column("核实后等级", lambda r: verified_gap(r.review_levels) or None, width=28),
    Column("联系人", lambda r: r.contact_name, width=10),
    Column("联系电话", lambda r: r.contact_phone, width=14),
]
