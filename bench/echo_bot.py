"""The baseline of ``bench.cpu``: a bare aiogram echo bot as its own process (``python -m bench.echo_bot``),
polling the Bot API at ``TELEGRAM_API_BASE`` with ``TELEGRAM_BOT_TOKEN``, on the event loop the bot would
choose (``EVENT_LOOP``), so the two are compared on the same loop."""

from __future__ import annotations

import asyncio
import os

from bench.measure import bot_loop
from bench.pipeline import echo_dispatcher
from bot.channels.telegram import make_bot


async def main() -> None:
    bot = make_bot(os.environ["TELEGRAM_BOT_TOKEN"], os.environ["TELEGRAM_API_BASE"])
    await echo_dispatcher().start_polling(bot, handle_signals=True)


if __name__ == "__main__":
    with asyncio.Runner(loop_factory=bot_loop()) as runner:
        runner.run(main())
