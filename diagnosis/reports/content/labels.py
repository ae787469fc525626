"""Names the report prints for codes of the result (upgrade kinds, levels, orders of domains)."""
from __future__ import annotations

PLATFORM = "智造诊断"
REPORT_TITLE = "智能化转型诊断报告"

KIND_LABELS = {
    "equipment": "设备换芯", "robot": "机器换人", "line": "生产换线", "cloud": "企业上云",
    "system": "信息系统", "security": "信息安全", "lianghua": "两化融合", "energy": "绿色制造",
    "talent": "人才与组织", "platform": "工业互联网平台",
}
LEVEL3 = {"low": "低", "medium": "中", "high": "高"}
ELEMENT_ORDER = ("人员", "技术", "资源", "制造")
DOMAIN_ORDER = ("设计", "生产", "物流", "销售", "服务")
CMMM_LEVEL_NAMES = {0: "未达一级", 1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
