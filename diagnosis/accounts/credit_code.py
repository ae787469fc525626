"""Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters, check character."""
from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"   # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """None when the code is valid; otherwise what is wrong, in Chinese, for the form."""
    code = code.strip().upper()
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，当前为 {len(code)} 位"
    bad = [ch for ch in code if ch not in ALPHABET]
    if bad:
        return f"含有不允许的字符“{bad[0]}”（不使用 I、O、S、V、Z）"
    if not code[2:8].isdigit():
        return "第 3–8 位应为登记管理机关行政区划码（6 位数字）"
    if code[17] != check_character(code[:17]):
        return "校验位不正确，请核对是否有输错的字符"
    return None


def normalize(code: str) -> str:
    return code.strip().upper()
