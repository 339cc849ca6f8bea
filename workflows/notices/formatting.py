"""Chinese numbers, dates and amounts as official documents write them."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

CN_DIGITS = "〇一二三四五六七八九"


# ---------------------------------------------------------------------- Chinese formatting
def chinese_number(n: int) -> str:
    """1..99 in Chinese: 十一, 二十三 (how items and articles are numbered: 第一项, 第二十四条)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones or not tens else "")


def plain_date(d: date) -> str:
    """2026年11月29日: GB/T 9704-2012 writes the date under the issuer in Arabic numerals."""
    return f"{d.year}年{d.month}月{d.day}日"


def quoted(text: str) -> str:
    """A text as it stands inside “…”的规定: quotes within it become ‘…’, and its closing 。 goes, since the
    sentence it sits in goes on after the quotation."""
    inner = (text or "").replace("“", "‘").replace("”", "’").rstrip()
    return inner[:-1] if inner.endswith("。") else inner


def rmb_upper(amount: Decimal) -> str:
    """Amount in capital numerals as on payment documents: 伍拾万元整, 壹仟贰佰元伍角."""
    digits, units = "零壹贰叁肆伍陆柒捌玖", ["", "拾", "佰", "仟"]
    cents = int((amount * 100).to_integral_value())
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10

    def four(n: int) -> str:
        out, zero = "", False
        for i in range(3, -1, -1):
            d = n // 10 ** i % 10
            if d == 0:
                zero = bool(out)
            else:
                out += ("零" if zero else "") + digits[d] + units[i]
                zero = False
        return out

    parts, groups, n = [], ["", "万", "亿"], yuan
    for g in groups:
        parts.append((n % 10000, g))
        n //= 10000
    text, pending_zero = "", False
    for value, g in reversed(parts):
        if value == 0:
            pending_zero = bool(text)
            continue
        if text and (pending_zero or value < 1000):
            text += "零"
        text += four(value) + g
        pending_zero = False
    text = (text or "零") + "元"
    if jiao == 0 and fen == 0:
        return text + "整"
    if jiao:
        text += digits[jiao] + "角"
    elif yuan:
        text += "零"
    return text + (digits[fen] + "分" if fen else "")


def yuan_short(amount: int | Decimal) -> str:
    """500000 -> 50万元, 2000 -> 2000元 (how the regulation writes its ranges)."""
    amount = Decimal(amount)
    if amount >= 10000 and amount % 10000 == 0:
        return f"{int(amount // 10000)}万元"
    return f"{amount.normalize():f}元"


def yuan_figure(amount: Decimal) -> str:
    return f"{amount:,.2f}"
