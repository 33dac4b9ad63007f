"""The law's rules as plain functions of the model: dates and who decides.

In: a `Sammantrade` (model/) and dates.
Out: deadlines by lag (1930:173) and KL (`anslag`: the last day to appeal, the planned
anslag, the time-limit warnings), a meeting's legal dates (`dates`: one `Anslag` per
tillkännagivande, which one starts a §'s appeal time), who is present and who decides
each § (`participation`) and the checks within one meeting (`checks`: § numbers, votes
against attendance, jäv, quorum) as `Finding`s with key paths, no file positions.
"""

from beslutsgen.law.anslag import deadline, last_appeal_day
from beslutsgen.law.checks import findings
from beslutsgen.law.dates import (
    Sammantradesdatum,
    justerad,
    justerad_for_expediering,
    sammantradesdatum,
)

__all__ = [
    "Sammantradesdatum",
    "deadline",
    "findings",
    "justerad",
    "justerad_for_expediering",
    "last_appeal_day",
    "sammantradesdatum",
]
