"""Beyond reports: how often each Learn piece was opened (the whole deployment: readers have no place)
and how many reports of harmful content online the unit's tree received, for a period."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.intake.online_flow import ONLINE_CATEGORY
from handlers.learn.pieces import pieces
from handlers.messages import Channel
from handlers.statistics.cases import unit_tree
from handlers.statistics.periods import Period
from storage.learn_reads import read_counts
from storage.models import Case

__all__ = ["Outreach", "outreach"]


@dataclass(frozen=True)
class Outreach:
    learn: tuple[tuple[str, str, int], ...]  # (piece id, its title, times opened), most read first
    online_reports: int


def _months(period: Period) -> list[str]:
    return [
        f"{period.year + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}"
        for m in range(period.first_month, period.first_month + period.months)
    ]


async def outreach(session: AsyncSession, *, unit_code: str, period: Period, locale: str) -> Outreach:
    titles = {p.id: p.title for p in pieces(locale)}
    counts = await read_counts(session, months=_months(period))
    codes = [u.code for u in await unit_tree(session, unit_code)]
    online = (
        select(func.count())
        .select_from(Case)
        .where(
            col(Case.category) == ONLINE_CATEGORY,
            col(Case.channel) != Channel.TERMINAL.value,  # the terminal demo is never counted
            col(Case.unit_code).in_(codes),
            col(Case.received_at) >= period.start,
            col(Case.received_at) < period.end,
        )
    )
    return Outreach(
        learn=tuple((piece, titles.get(piece, piece), n) for piece, n in counts.items()),
        online_reports=int((await session.exec(online)).one()),
    )
