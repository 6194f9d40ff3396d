"""Four Mondays of a small hall, as data: its tickets and window sessions, and the figures worked out by hand.

The hall: two windows and two services. Window 1 is comprehensive (["*"]); window 2 takes 养老保险 (category A)
first, then anything (["A"], ["*"]). Opening hours 09:00–10:00 and 14:00–14:30: three half-hours.
Every time is the hall's local time (Asia/Shanghai). A ticket is (service, issued, finished, service seconds);
it started `service seconds` before it finished, on a window open then; finished None is a no-show or a
cancellation. The data starts on Monday 2 March 2026 (nothing before), and the report is asked for on Monday
23 March 2026 at 17:00 for weekday 1 over 4 weeks, target 80 % within 60 s.

The same data can be played through the HTTP API (issue at `issued`, call and start at `started`, finish at
`finished`, open and close windows at the session times) for `/api/stats/staffing`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple

PENSION = "pension-insurance"  # 养老保险, category A
RELIEF = "subsistence-allowance"  # 低保与特困供养, category B
OPENING_HOURS = [["09:00", "10:00"], ["14:00", "14:30"]]
WINDOW_PROFILES = {1: [["*"]], 2: [["A"], ["*"]]}  # as in the hall YAML
WINDOW_TIERS = {1: [[PENSION, RELIEF]], 2: [[PENSION], [RELIEF]]}  # resolved over the two services

TODAY = date(2026, 3, 23)
NOW = "2026-03-23 17:00"
WEEKDAY, WEEKS, TARGET_WAIT, TARGET_PCT = 1, 4, 60, 80.0


class Ticket(NamedTuple):
    service: str
    issued: str  # HH:MM
    finished: str | None
    service_seconds: int | None

    def started(self) -> str | None:
        """Return when service began (HH:MM:SS): service_seconds before it finished."""
        if self.finished is None or self.service_seconds is None:
            return None
        end = datetime.strptime(self.finished, "%H:%M") - timedelta(seconds=self.service_seconds)
        return end.strftime("%H:%M:%S")


class Session(NamedTuple):
    window: int
    start: str  # HH:MM
    end: str


class Day(NamedTuple):
    day: date
    tickets: list[Ticket]
    sessions: list[Session]


DAYS = [
    Day(date(2026, 3, 2), [
        Ticket(RELIEF, "08:55", "09:10", 300),  # issued before opening: no arrival, but finished in 9:00–9:30
        Ticket(PENSION, "09:05", "09:20", 300),
        Ticket(RELIEF, "09:10", "09:25", 500),
        Ticket(PENSION, "09:15", "09:40", 400),
        Ticket(RELIEF, "09:20", "09:50", 200),
        Ticket(PENSION, "09:40", None, None),  # no-show
        Ticket(RELIEF, "09:45", "10:05", 600),  # finished after closing: in no interval's service times
    ], [Session(1, "09:00", "10:10"), Session(2, "09:15", "10:00"), Session(1, "14:00", "14:30")]),
    Day(date(2026, 3, 9), [
        Ticket(PENSION, "09:02", "09:12", 600),
        Ticket(PENSION, "09:20", "09:35", 300),
        Ticket(RELIEF, "09:31", "09:45", 700),
        Ticket(RELIEF, "14:05", "14:20", 900),
    ], [Session(1, "09:00", "09:45"), Session(2, "09:00", "10:00"), Session(1, "14:00", "14:30")]),
    Day(date(2026, 3, 16), [
        Ticket(RELIEF, "09:00", "09:20", 1000),
        Ticket(PENSION, "09:10", "09:30", 500),  # finished at 9:30 sharp: counts in 9:30–10:00
        Ticket(PENSION, "09:29", "09:59", 800),
        Ticket(PENSION, "09:30", None, None),  # issued at 9:30 sharp: an arrival of 9:30–10:00; cancelled
    ], [Session(1, "08:50", "10:10"), Session(2, "09:30", "09:40"), Session(2, "09:50", "10:00"),
        Session(1, "14:10", "14:20")]),
    Day(date(2026, 3, 23), [
        Ticket(PENSION, "09:01", "09:21", 600),
        Ticket(PENSION, "09:03", "09:33", 900),
        Ticket(RELIEF, "09:04", "09:28", 400),
        Ticket(RELIEF, "09:40", "09:55", 500),
        Ticket(RELIEF, "09:41", "09:58", 120),
        Ticket(PENSION, "14:29", "14:31", 100),  # finished after closing
    ], [Session(1, "09:00", "10:00"), Session(2, "09:00", "09:35"), Session(1, "14:00", "14:35")]),
]

# Worked out by hand, per half-hour (9:00–9:30, 9:30–10:00, 14:00–14:30), day by day:
#   issued:            2 Mar 4, 2, 0 · 9 Mar 2, 1, 1 · 16 Mar 3, 1, 0 · 23 Mar 3, 2, 1
#   service times:     9:00  [300, 500, 300] · [600] · [1000] · [600, 400]            → 3700 s / 7
#                      9:30  [400, 200] · [300, 700] · [500, 800] · [900, 500, 120]   → 4420 s / 9
#                      14:00 [] · [900] · [] · []                                     → 900 s / 1
#   open seconds:      9:00  2700 · 3600 · 1800 · 3600 = 11700 → ÷ 1800 ÷ 4 = 1.625
#                      9:30  3600 · 2700 · 3000 · 2100 = 11400 → 1.58333…
#                      14:00 1800 · 1800 ·  600 · 1800 =  6000 → 0.83333…
EXPECTED_ISSUED = {date(2026, 3, 2): [4, 2, 0], date(2026, 3, 9): [2, 1, 1], date(2026, 3, 16): [3, 1, 0],
                   date(2026, 3, 23): [3, 2, 1]}
EXPECTED_ARRIVALS = [12 / 4, 6 / 4, 2 / 4]
EXPECTED_SERVICE_AVG = [3700 / 7, 4420 / 9, 900 / 1]
EXPECTED_WINDOWS_OPEN = [11700 / 7200, 11400 / 7200, 6000 / 7200]
# Erlang C at 60 s / 80 %: 9:00 load 0.881 needs 3 (2 give 76.3 %), 9:30 needs 2, 14:00 needs 2.
EXPECTED_WINDOWS_NEEDED = [3, 2, 2]
EXPECTED_ADVICE = ["周一 9:00–9:30 建议开 3 个窗口（过去 4 周平均开 2 个）",
                   "周一 14:00–14:30 建议开 2 个窗口（过去 4 周平均开 1 个）"]
# Backtest: 2 March has no earlier Monday with data. 9 March from 2 March: |4−2|/2, |2−1|/1, |0−1|/1.
# 16 March from the mean of 2 and 9 March (3, 1.5, 0.5): 0/3, 0.5/1, and 14:00 had no arrival (left out).
# 23 March from the mean of the three (3, 4/3, 1/3): 0/3, (2/3)/2, (2/3)/1. Mean of 8 errors: 4.5 / 8.
EXPECTED_BACKTEST = {"days": 3, "arrivals_mape_pct": 100 * 4.5 / 8}

# Pools: window 1 alone and window 2 alone. 养老保险 is in both first tiers, one window each: half to each;
# 低保 is in window 1's first tier only: all to window 1. Window 2's 9:00 arrivals: 养老保险 2+2+2+2 = 8,
# half of it over 4 days = 1.0; its service time is the 养老保险 mean there, (300 + 600 + 600) / 3 = 500;
# at 9:30 (400 + 300 + 500 + 800 + 900) / 5; at 14:00 none finished, so the 养老保险 mean of those days.
EXPECTED_POOL_SHARES = {(1,): {PENSION: 0.5, RELIEF: 1.0}, (2,): {PENSION: 0.5}}
EXPECTED_POOL2_ARRIVALS = [8 * 0.5 / 4, 2 * 0.5 / 4, 1 * 0.5 / 4]
EXPECTED_POOL2_SERVICE_AVG = [1500 / 3, 2900 / 5, (1500 + 2900) / 8]
EXPECTED_POOL2_OPEN = [(900 + 1800 + 0 + 1800) / 7200, (1800 + 1800 + 1200 + 300) / 7200, 0.0]
