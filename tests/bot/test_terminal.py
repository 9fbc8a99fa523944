"""The terminal demo: the same conversation, the duty card printed, and '!1' acknowledging as the officer."""

from __future__ import annotations

import io

from bot.channels.terminal import TerminalChat, TerminalSender
from bot.core import Core
from handlers.messages import Channel


async def test_terminal_runs_the_whole_product(core: Core) -> None:
    out = io.StringIO()
    sender = TerminalSender(out, "vi")
    outbox = core.dispatcher({Channel.TELEGRAM: sender, Channel.TERMINAL: sender})
    chat = TerminalChat(core.conversation, core.officers, sender, core.handle_for(Channel.TERMINAL), officer_login="lan", out=out)
    lines = iter(["2", "2", "1", "2", "1", "2", "1", "hoan kiem", "1", "bo qua", "Bé bị bỏ đói", "bỏ qua", "2", "1"])

    def read_line() -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None  # Ctrl-D

    await chat.run(read_line, pause=0)
    await outbox.run_once()
    printed = out.getvalue()
    assert "Mã tin báo: TE-" in printed
    assert "[Nhóm trực -1001000000002 — tin mới]" in printed and "!1) Tôi nhận xử lý" in printed
    await chat.line("!1")
    await outbox.run_once()
    printed = out.getvalue()
    assert "✅ Nguyễn Thị Lan đã nhận xử lý" in printed
    await chat.line("!9")
    assert "(thẻ báo không có nút này)" in out.getvalue()
    await chat.line("!web")  # no console configured in this deployment: the officer is told so
    assert "Trang web cho cán bộ chưa được cài đặt" in out.getvalue()


async def test_a_bare_slash_and_odd_commands_are_answered(core: Core) -> None:
    from handlers.messages import command_name

    assert [command_name(t) for t in ("/", "/ ", "/Start help", "/xoa@some_bot", "hello")] == ["", "", "start", "xoa", ""]
    out = io.StringIO()
    sender = TerminalSender(out, "vi")
    chat = TerminalChat(core.conversation, core.officers, sender, core.handle_for(Channel.TERMINAL), officer_login="lan", out=out)
    await chat.line("/")
    assert "Bạn muốn làm gì" in out.getvalue()
