"""The fixed list of provider specialties an organization can claim and enterprises filter by."""
from __future__ import annotations

SPECIALTIES: dict[str, str] = {
    "robotics": "工业机器人集成",
    "mes": "MES/制造执行",
    "cloud": "企业上云",
    "energy": "能源管理",
    "lianghua": "两化融合咨询",
    "cnc": "数控改造",
}


def label(key: str) -> str:
    return SPECIALTIES.get(key, key)
