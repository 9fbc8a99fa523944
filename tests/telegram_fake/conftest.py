"""Make the fake-Telegram fixtures available to the tests of the fake itself."""

from tests.telegram_fake.fixtures import telegram_bot, telegram_server

__all__ = ["telegram_bot", "telegram_server"]
