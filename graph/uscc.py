"""统一社会信用代码 (unified social credit code) per GB 32100-2015.

The code has 18 characters from a 31-character alphabet (digits and capitals without
I, O, Z, S, V). The last one is a check character computed from the first 17 with weights
3**i mod 31. Only that check is applied: the embedded organization code (positions 9–17)
follows GB 11714 for most codes, but not for every registration authority, and python-stdnum's
stricter check wrongly rejects valid codes such as those issued by "其他" authorities (``Y1…``).
"""

from __future__ import annotations

__all__ = ["ALPHABET", "check_char", "is_valid", "make", "problem"]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def check_char(body: str) -> str:
    """Return the check character for the first 17 characters ``body``."""
    total = sum(_VALUE[c] * w for c, w in zip(body, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Say in Chinese what is wrong with ``code``, or ``None`` if it is a valid USCC.

    ``code`` is expected already normalised (stripped, NFKC, upper-case).
    """
    if len(code) != 18:
        return f"统一社会信用代码应为18位，这里是{len(code)}位"
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        shown = "、".join(bad)
        return f"统一社会信用代码含有不允许的字符“{shown}”（不使用 I、O、Z、S、V 及小写字母）"
    expected = check_char(code[:17])
    if code[17] != expected:
        return (
            f"统一社会信用代码校验位不符（按 GB 32100-2015 第18位应为“{expected}”），请核对是否录错"
        )
    return None


def is_valid(code: str) -> bool:
    """True when ``code`` is an 18-character USCC whose check character holds."""
    return problem(code) is None


def make(body: str) -> str:
    """Complete a 17-character body with its check character (used by the sample city)."""
    return body + check_char(body)
