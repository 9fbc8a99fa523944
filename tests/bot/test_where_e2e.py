""""Where did it happen" end to end on Telegram: one optional question in the adult's report, in plain words,
answered by one reporter and skipped by another; a child's own report asks nothing more. The report's
"where" table counts what was said and «Không ghi nhận» for the rest."""

from __future__ import annotations

from sqlmodel import select

from bot.core import Core
from bot.report_files import unit_report
from handlers.statistics.periods import Period
from storage.models import Case
from tests.chat_driver import report_until_review
from tests.conftest import OTHER_USER, REPORTER
from tests.telegram_chat import TelegramChat, buttons, running_bot

CHILD = 9003
FRIGHTENING = ("xâm hại", "bạo lực", "lạm dụng", "hiếp", "đánh")


async def test_where_is_asked_once_answered_or_skipped_and_counted(core: Core, telegram_server) -> None:  # type: ignore[no-untyped-def]
    server = telegram_server
    async with running_bot(core, server):
        answered = TelegramChat(server, REPORTER)
        await answered.send("/start")
        await answered.choose("Báo tin về một bạn nhỏ")
        for label in ("Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái"):
            await answered.choose(label)
        question = await answered.choose("Không")  # not in danger now: then where
        assert question.endswith("Chuyện này xảy ra ở đâu? Nếu không rõ, bạn chọn «Bỏ qua».") and not any(w in question.lower() for w in FRIGHTENING)
        asked = server.messages_to(REPORTER)[-1]
        assert [b["text"] for b in buttons(asked)][:6] == ["Ở nhà", "Ở trường, lớp học", "Trên mạng", "Nơi công cộng",
                                                          "Nơi khác", "Bỏ qua"]
        assert "xã/phường nào" in await answered.choose("Ở trường, lớp học")
        await answered.send("hoan kiem")
        await answered.choose("Phường Hoàn Kiếm")
        await answered.send("Ngõ 5")
        await answered.send("Bé bị đánh ở lớp")
        await answered.choose("Bỏ qua")
        review = await answered.choose("Có, được nhắn lại")
        assert "• Xảy ra ở: Ở trường, lớp học" in review
        assert "Mã tin báo: TE-" in await answered.choose("Gửi tin báo")

        skipped = TelegramChat(server, OTHER_USER)
        review = await report_until_review(skipped, setting="Bỏ qua")
        assert "• Xảy ra ở: —" in review  # skipped: nothing said
        assert "Mã tin báo: TE-" in await skipped.choose("Gửi tin báo")

        child = TelegramChat(server, CHILD)
        await child.send("/start")
        await child.choose("Em cần giúp đỡ")
        await child.choose("Không")
        await child.choose("Có người đánh em")
        await child.send("ở nhà")
        await child.choose("Bỏ qua")  # the commune
        thanks = await child.choose("Không")  # no contact: submitted, nothing more asked
        assert "111" in thanks and "xảy ra ở đâu" not in "\n".join(m.get("text", "") for m in server.messages_to(CHILD))

    async with core.db.session() as session:
        settings = sorted(((c.reporter_kind, c.setting) for c in (await session.exec(select(Case))).all()), key=str)
    assert settings == [("adult", "school"), ("adult", None), ("child", None)]
    report = await unit_report(core.services, unit_code="01", period=Period.quarter_of(core.services.clock()), locale="vi")
    where = report.table("setting")
    assert where.headers == ("Nơi xảy ra", "Số vụ")
    assert dict(zip(where.codes, (row[1] for row in where.rows))) == {
        "home": 0, "school": 1, "online": 0, "public": 0, "other": 0, "not_recorded": 2, "total": 3,
    }
    assert where.row("not_recorded")[0] == "Không ghi nhận" and where.row("school")[0] == "Ở trường, lớp học"
