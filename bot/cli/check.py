"""``python -m bot check-config``: the settings, the secrets and the deployment file, checked before a start;
exit status 0 (with notes on what is missing but allowed) or 3 (``Exit.CONFIG``)."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

from bot.chain_reach import silent_chains, silent_steps
from bot.cli.exits import Exit
from bot.cli.parsing import CliParser
from bot.config import Settings
from bot.deployment import load_deployment
from bot.secrets_setup import MissingSecrets, load_secrets
from handlers.escalation.alerts import duration_text
from handlers.i18n import t

__all__ = ["run_check_config"]


def run_check_config(settings: Settings, argv: list[str]) -> int:
    loc = settings.default_locale
    CliParser(loc, prog="python -m bot check-config", description=t(loc, "cli.help.check-config")).parse_args(argv)
    deployment = load_deployment(settings.deployment_file, locale=loc)
    token = bool(settings.telegram_bot_token)  # an empty TELEGRAM_BOT_TOKEN= in .env is no token
    live = token or bool(settings.zalo_bot_token)
    try:
        load_secrets(settings)
    except MissingSecrets as exc:
        if live or exc.key != "admin.missing_secrets":
            raise
    file = settings.deployment_file
    if silent := silent_chains(deployment):  # an urgent case nobody takes would page nobody after its card
        for unit in silent:
            print(t(loc, "admin.chain_silent", code=unit.code, name=unit.display_name), file=sys.stderr)
        return Exit.CONFIG
    print(t(loc, "admin.config_ok", file=file, units=len(deployment.units), officers=len(deployment.officers)))
    if deployment.collaborators:
        print(t(loc, "admin.config_collaborators", count=len(deployment.collaborators),
                communes=len({c.commune for c in deployment.collaborators})))
    rostered = {r.unit for r in deployment.rosters}
    for unit in deployment.units:
        if unit.telegram_chat_id is None:
            print(t(loc, "admin.no_duty_group", code=unit.code, name=unit.display_name))
        if unit.code not in rostered and any(o.unit == unit.code for o in deployment.officers):
            print(t(loc, "admin.no_roster", code=unit.code, name=unit.display_name))
        for step in silent_steps(deployment, unit):
            after, targets = duration_text(loc, step.after), ", ".join(step.notify)
            print(t(loc, "admin.step_silent", code=unit.code, name=unit.display_name, after=after, targets=targets))
    if settings.telegram_proxy:  # where it goes, never the password
        proxy = urlsplit(settings.telegram_proxy.get_secret_value())
        print(t(loc, "admin.telegram_proxy", proxy=f"{proxy.scheme}://{proxy.hostname}:{proxy.port}"))
    if not live:
        print(t(loc, "admin.demo_mode"))
    elif not token and any(u.telegram_chat_id for u in deployment.units):
        print(t(loc, "admin.groups_without_telegram"))
    return Exit.OK
