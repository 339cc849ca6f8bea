"""Which passwords an account may have: long enough, not on the list of common ones, not a run of one
character or a sequence (123456, abcdef, qwerty keyboard rows), and not the user name itself."""
from __future__ import annotations

import functools
from pathlib import Path

MIN_LENGTH = 8
# Sequences people type as passwords: digits and letters in order, keyboard rows.
SEQUENCES = ("01234567890", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm",
             "1qaz2wsx3edc4rfv", "qazwsxedcrfv")


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = (Path(__file__).with_name("common_passwords.txt").read_text(encoding="utf-8").splitlines())
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _is_run(text: str) -> bool:
    """One character repeated, or a stretch of a sequence read forwards or backwards (12345678, 87654321)."""
    if len(set(text)) <= 2:
        return True
    for seq in SEQUENCES:
        if text in seq or text in seq[::-1]:
            return True
    return False


def _stem(text: str) -> str:
    """The password with a trailing run of digits or symbols taken off: "qwerty2026" -> "qwerty"."""
    stripped = text.rstrip("0123456789!@#$%^&*.?_-")
    return stripped or text


def password_problem(password: str, username: str = "") -> str | None:
    """Why `password` is refused, in Chinese, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位。"
    if len(password) > 200:
        return "密码不能超过 200 位。"
    low = password.lower()
    if username and username.lower() in low:
        return "密码不能包含用户名。"
    if _is_run(low) or _is_run(_stem(low)):
        return "密码过于简单（同一字符重复或连续的数字、字母、键盘序列），请换一个。"
    if low in common_passwords() or _stem(low) in common_passwords():
        return "该密码是常见密码，极易被猜中，请换一个。"
    return None
