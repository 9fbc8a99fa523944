"""The runtime: configuration, channels, the web sites, the dispatcher, the scheduler and the command line."""

from bot import aiogram_models

aiogram_models.install()
