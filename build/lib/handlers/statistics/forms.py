"""The one declared table that maps the product's categories to the forms of abuse of the Law on Children
(Luật Trẻ em 2016, Art. 4 clauses 8–12), and the groups of children in special circumstances (Art. 10).

The reporter picks words a person understands («Bắt nạt ở trường», «Xâm hại trên mạng»); a province reports
the forms the law names. Every category a release has ever offered is mapped here, once, so nobody maps by
hand: a new category without a line here fails the test that checks the table is complete."""

from __future__ import annotations

from types import MappingProxyType

from handlers.intake.online_flow import ONLINE_CATEGORY
from handlers.intake.report_flow import CATEGORIES

__all__ = ["ART4_FORMS", "FORM_OF_CATEGORY", "SPECIAL_GROUPS", "UNCLASSIFIED", "form_of"]

# Art. 4 clause 8: "bạo lực, bóc lột, xâm hại tình dục, mua bán, bỏ rơi, bỏ mặc trẻ em và các hình thức gây
# tổn hại khác", in the law's order; clause 9 (violence) covers physical and mental harm, insults, isolating.
ART4_FORMS = ("violence", "exploitation", "sexual", "trafficking", "abandonment", "neglect", "other")
UNCLASSIFIED = "unclassified"  # the reporter did not know ("Chưa rõ"): the officer's assessment will say

FORM_OF_CATEGORY = MappingProxyType({
    "physical": "violence",  # Art. 4.9: beating, harming the body or health
    "bullying": "violence",  # «Bắt nạt ở trường»: Art. 4.9 also names insulting, isolating, driving away
    "sexual": "sexual",  # Art. 4.11
    "exploitation": "exploitation",  # Art. 4.10 (child labour against the law included)
    "trafficking": "trafficking",  # Art. 4.8 (mua bán); abduction for sale comes with it
    "neglect": "neglect",  # «Bỏ rơi, bỏ mặc»: Art. 4.12 bỏ mặc; abandonment proper is recorded apart
    "online": "other",  # «Xâm hại trên mạng»: online harm whose form the report does not tell
    ONLINE_CATEGORY: "other",  # the online-content report: harmful content about children, Art. 4.8 "khác"
    "other": "other",
    "unknown": UNCLASSIFIED,
})

# Law on Children Art. 10 clause 1: the 14 groups, by their number in the law.
SPECIAL_GROUPS = tuple(str(n) for n in range(1, 15))


def form_of(category: str) -> str:
    """The Art. 4 form of a stored category; an unexpected one (an older release's) counts as unclassified."""
    return FORM_OF_CATEGORY.get(category, UNCLASSIFIED)


assert set(CATEGORIES) <= set(FORM_OF_CATEGORY), "every category offered must be mapped to an Art. 4 form"
