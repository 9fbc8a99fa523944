"""The collaborators' sync: what the deployment file declares, as keyed handles and sealed chats, changed
only where the file changed; a collaborator no longer declared is no longer recognised."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from bot.core import Core, build_core
from handlers.messages import Channel
from storage.collaborators import collaborator_addresses, collaborator_by_handle, collaborator_handle, collaborators_of
from storage.models import Collaborator, CollaboratorIdentity
from tests.conftest import DEPLOYMENT

THU, TU = 7001, "zalo-collab-9"


def _file(tmp_path: Path, *, zalo: str = TU, with_tu: bool = True) -> Path:
    body = DEPLOYMENT + f"""
[[collaborators]]
name = "Hà Thị Thu"
commune = "00070"
village = "Tổ dân phố 3"
telegram_user_id = {THU}
"""
    if with_tu:
        body += f"""
[[collaborators]]
name = "Bùi Văn Tư"
commune = "00070"
village = "Phố Hàng Bạc"
zalo_user_id = "{zalo}"
"""
    path = tmp_path / "collaborators.toml"
    path.write_text(body, encoding="utf-8")
    return path


async def _started(make_settings, database_url: str, path: Path) -> Core:  # type: ignore[no-untyped-def]
    return await build_core(make_settings(database_url, deployment_file=path), demo=False)


async def _rows(core: Core) -> tuple[dict[str, tuple[str, bool]], dict[str, tuple[str, str | None]]]:
    async with core.db.session() as session:
        people = {c.id: (c.name, c.active) for c in (await session.exec(select(Collaborator))).all()}
        identities = {i.handle: (i.collaborator_id, i.key_id) for i in (await session.exec(select(CollaboratorIdentity))).all()}
    return people, identities


async def test_a_restart_changes_only_what_the_file_changed(make_settings, database_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    core = await _started(make_settings, database_url, _file(tmp_path))
    try:
        people, identities = await _rows(core)
        chat = core.handle_for(Channel.TELEGRAM)(str(THU))  # what a case Thu reports keeps as its reporter
        handle = collaborator_handle(core.pepper, chat)
        assert handle in identities and str(THU) not in identities and TU not in str(identities), "keyed handles only"
        assert chat not in identities, "no join from a case's reporter to the collaborator without the pepper"
        async with core.db.session() as session:
            thu = await collaborator_by_handle(session, core.pepper, chat)
            assert thu is not None and thu.unit_code == "00070" and thu.village == "Tổ dân phố 3"
            assert await collaborator_addresses(session, core.vault, thu.id) == [("telegram", str(THU))]  # opened from its seal
            assert [c.name for c in await collaborators_of(session, "00070")] == ["Bùi Văn Tư", "Hà Thị Thu"]  # by village
    finally:
        await core.db.dispose()
    again = await _started(make_settings, database_url, _file(tmp_path))
    try:
        assert await _rows(again) == (people, identities), "same ids, same handles, same keys"
    finally:
        await again.db.dispose()
    moved = await _started(make_settings, database_url, _file(tmp_path, zalo="zalo-collab-new"))
    try:
        people_moved, identities_moved = await _rows(moved)
        assert people_moved == people, "Tư keeps his id: past home-visit requests stay his"
        assert identities_moved[handle] == identities[handle], "Thu's identity and key untouched"
        (gone,), (new,) = set(identities) - set(identities_moved), set(identities_moved) - set(identities)
        assert identities[gone][1] not in moved.vault.keystore.ids()  # type: ignore[union-attr]  # the old chat's key shredded
        async with moved.db.session() as session:
            assert await collaborator_addresses(session, moved.vault, identities_moved[new][0]) == [("zalo", "zalo-collab-new")]
    finally:
        await moved.db.dispose()
    dropped = await _started(make_settings, database_url, _file(tmp_path, with_tu=False))
    try:
        people_dropped, _ = await _rows(dropped)
        assert sorted(people_dropped.values()) == [("Bùi Văn Tư", False), ("Hà Thị Thu", True)]
        async with dropped.db.session() as session:
            assert await collaborator_by_handle(session, dropped.pepper, dropped.handle_for(Channel.ZALO)("zalo-collab-new")) is None
            assert [c.name for c in await collaborators_of(session, "00070")] == ["Hà Thị Thu"]
    finally:
        await dropped.db.dispose()


async def test_own_reports_are_found_from_every_account_and_only_theirs(make_settings, database_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Thu reports on Telegram and asks on Zalo: /cuatoi finds it from her sealed chats, not a stored link."""
    from tests.chat_driver import CoreChat, report_until_review

    path = tmp_path / "both.toml"
    path.write_text(DEPLOYMENT + f"""
[[collaborators]]
name = "Hà Thị Thu"
commune = "00070"
village = "Tổ dân phố 3"
telegram_user_id = {THU}
zalo_user_id = "{TU}"
""", encoding="utf-8")
    core = await _started(make_settings, database_url, path)
    try:
        telegram = CoreChat(core, user=str(THU), channel=Channel.TELEGRAM)
        await telegram.send("/start")
        await telegram.choose("Báo tin về một bạn nhỏ")
        for label in ("Thầy cô giáo", "Bạo lực thể chất", "11–15 tuổi", "Bé trai", "Không"):
            await telegram.choose(label)
        for _ in range(3):
            await telegram.choose("Bỏ qua")  # where it happened, address, description
        await telegram.choose("Bỏ qua")  # photos
        await telegram.choose("Không")  # contact
        code = (await telegram.choose("Gửi tin báo")).split("Mã tin báo: ")[1].split()[0]
        citizen = CoreChat(core, user="9001", channel=Channel.TELEGRAM)
        await report_until_review(citizen)
        other = (await citizen.choose("Gửi tin báo")).split("Mã tin báo: ")[1].split()[0]
        mine = await CoreChat(core, user=TU, channel=Channel.ZALO).send("/cuatoi")
        assert code in mine and other not in mine
    finally:
        await core.db.dispose()
