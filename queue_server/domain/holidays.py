"""Mainland China's statutory holidays for a year nobody has announced yet; adjusted days; a weekday's days.

The national rules (全国年节及纪念日放假办法, as revised from 2025) fix which days are holidays:
元旦 1 January; 春节 New Year's Eve and the first three days of the lunar year; 清明 the day of the
solar term; 劳动节 1–2 May; 端午 the 5th of the 5th lunar month; 中秋 the 15th of the 8th lunar month;
国庆 1–3 October. How the State Council then strings them into a week with 调休 is not a rule and is not
guessed here: a provisional year has these days off and every other Monday–Friday is a working day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import Protocol

from lunar_python import Lunar, Solar

NEW_YEAR = "元旦"
SPRING_FESTIVAL = "春节"
TOMB_SWEEPING = "清明"
LABOUR_DAY = "劳动节"
DRAGON_BOAT = "端午"
MID_AUTUMN = "中秋"
NATIONAL_DAY = "国庆节"
# The lunar package is exact well beyond this; the bound only keeps nonsense years out.
FIRST_YEAR, LAST_YEAR = 1901, 2999
# An adjusted working day and the day off it pays for lie within a few weeks of each other.
SAME_SEASON_DAYS = 40
ONE_DAY = timedelta(days=1)


def _solar(s: Solar) -> date:
    return date(s.getYear(), s.getMonth(), s.getDay())


def _lunar(year: int, month: int, day: int) -> date:
    return _solar(Lunar.fromYmd(year, month, day).getSolar())


@lru_cache(maxsize=64)
def _computed(year: int) -> tuple[tuple[date, str], ...]:
    spring = _lunar(year, 1, 1)  # 正月初一 falls between 21 January and 20 February, 除夕 too
    days: list[tuple[date, str]] = [(date(year, 1, 1), NEW_YEAR)]
    days += [(spring + timedelta(days=i), SPRING_FESTIVAL) for i in range(-1, 3)]  # 除夕 is the day before
    qingming = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    days += [(_solar(qingming), TOMB_SWEEPING)]
    days += [(date(year, 5, 1), LABOUR_DAY), (date(year, 5, 2), LABOUR_DAY)]
    days += [(_lunar(year, 5, 5), DRAGON_BOAT), (_lunar(year, 8, 15), MID_AUTUMN)]
    days += [(date(year, 10, i), NATIONAL_DAY) for i in (1, 2, 3)]
    return tuple(days)


def statutory_holidays(year: int) -> dict[date, str]:
    """Return the statutory holidays of a year by the national rules, each with its Chinese name."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is outside {FIRST_YEAR}–{LAST_YEAR}")
    out: dict[date, str] = {}
    for day, name in _computed(year):
        # 中秋 can fall on 1–3 October; the rules then give no extra day, so the date carries both names.
        out[day] = f"{out[day]}、{name}" if day in out and name not in out[day] else name
    return dict(sorted(out.items()))


def _seasons(days: Iterable[tuple[date, bool]]) -> list[list[tuple[date, bool]]]:
    """Split dated events into runs whose neighbours are at most SAME_SEASON_DAYS apart."""
    runs: list[list[tuple[date, bool]]] = []
    for day, worked in sorted(days):
        if runs and (day - runs[-1][-1][0]).days <= SAME_SEASON_DAYS:
            runs[-1].append((day, worked))
        else:
            runs.append([(day, worked)])
    return runs


def pair_adjusted_days(workdays: Mapping[date, str], in_lieu: Mapping[date, str]) -> dict[date, date]:
    """Pair each adjusted working day (调休上班) with the day off it pays for.

    Both mappings name the holiday each day belongs to (as chinesecalendar's ``workdays`` and
    ``in_lieu_days`` do). Within one holiday's season the worked days and the days off are paired in date
    order; a day left over on either side stays unpaired (2018's Spring Festival had three days off for two
    worked weekend days).
    """
    names = set(workdays.values()) | set(in_lieu.values())
    pairs: dict[date, date] = {}
    for name in names:
        events = [(d, True) for d, n in workdays.items() if n == name]
        events += [(d, False) for d, n in in_lieu.items() if n == name]
        for run in _seasons(events):
            worked = [d for d, w in run if w]
            off = [d for d, w in run if not w]
            pairs.update(zip(worked, off, strict=False))
    return pairs


def in_lieu_of_schedule(holidays: Iterable[date], statutory: Iterable[date]) -> dict[date, str]:
    """Return the Monday–Friday days off of an announced schedule that are not statutory: its 调休 days."""
    fixed = set(statutory)
    return {d: "调休" for d in holidays if d.weekday() < 5 and d not in fixed}


def counts_as_weekday(day: date, pairs: Mapping[date, date]) -> int:
    """Return the weekday (0 = Monday) a day counts as: the paired day off's for an adjusted working day."""
    return pairs[day].weekday() if day in pairs else day.weekday()


class CountsAs(Protocol):
    """Tell which weekday a working day counts as (an adjusted working Saturday counts as a weekday)."""

    def counts_as(self, day: date) -> int | None:
        """Return the weekday (0 = Monday) a working day counts as, or None for a day off."""
        ...


def pick_days(today: date, weekday: int, weeks: int, cal: CountsAs) -> list[date]:
    """Return the last `weeks` working days (oldest first, today included) counting as ISO weekday 1..7."""
    if not 1 <= weekday <= 7 or weeks < 1:
        raise ValueError("星期须为 1–7，周数至少为 1")
    out: list[date] = []
    for back in range(7 * (2 * weeks + 4)):  # holidays may take a few of them: look back twice as far, and more
        day = today - timedelta(days=back)
        if cal.counts_as(day) == weekday - 1:
            out.append(day)
            if len(out) == weeks:
                break
    return out[::-1]


def days_to_read(today: date, weekday: int, weeks: int, cal: CountsAs) -> list[date]:
    """Return every day the report and its backtest look at: the chosen days and the days before each."""
    chosen = pick_days(today, weekday, weeks, cal)
    every = set(chosen)
    for day in chosen:
        every.update(pick_days(day - timedelta(days=1), weekday, weeks, cal))
    return sorted(every)
