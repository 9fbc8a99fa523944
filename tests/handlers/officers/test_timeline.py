"""Every detail the recorders write becomes a sentence; anything else is left out, never shown raw."""

from __future__ import annotations

import pytest

from handlers.i18n import t
from handlers.officers.timeline import describe
from storage.models import CaseEvent, EventKind
from tests.web.test_timeline_words import ENGLISH, INTERNAL

NAMES = {"0f3a9c21-officer-lan": "Nguyễn Thị Lan", "7b2e0d44-officer-dung": "Phạm Văn Dũng"}
UNITS = {"00070": "UBND phường Hoàn Kiếm", "00073": "UBND phường Cửa Nam"}

RECORDED = [  # (kind, detail as its recorder writes it, what the Vietnamese line must say)
    (EventKind.STEP_SENT, "chain#0 alert: group", "Đã báo tin tới nhóm trực của đơn vị"),
    (EventKind.STEP_SENT, "chain#2 alert: backup, leader", "Chưa có ai nhận xử lý: đã báo tiếp tới cán bộ trực dự phòng, lãnh đạo xã/phường"),
    (EventKind.STEP_SENT, "police#0 notice: police", "Đã thông báo cho công an để phối hợp"),
    (EventKind.STEP_SENT, "ack_timeout#0 timeout: owner, duty_officer", "Không có cập nhật trong thời hạn: đã báo cán bộ phụ trách, cán bộ trực"),
    (EventKind.STEP_SENT, "assessment#0 reminder: owner", "Sắp đến hạn đánh giá ban đầu (12 giờ): đã nhắc cán bộ phụ trách"),
    (EventKind.STEP_SENT, "plan#1 missed: owner, leader", "Đã quá hạn kế hoạch hỗ trợ (5 ngày làm việc): đã báo cán bộ phụ trách"),
    (EventKind.STEP_SKIPPED, "chain#1 alert: duty_officer(nobody_on_duty)", "Không báo được cán bộ trực (không có ai trực lúc này)"),
    (EventKind.STEP_SKIPPED, "chain#3 alert: national(no_national_contact), parent_group(no_parent_unit)", "đầu mối quốc gia (chưa có đầu mối quốc gia)"),
    (EventKind.STEP_SKIPPED, "chain: held, flood of new reporters (group:00070)", "không có thẻ riêng trong nhóm"),
    (EventKind.STEP_SKIPPED, "chain: card refused, next step now", "báo ngay bước tiếp theo"),
    (EventKind.STEP_CANCELLED, "chain: acknowledged; 0 unsent", "Đã có người nhận: dừng nhắc"),
    (EventKind.STEP_CANCELLED, "chain: acknowledged; 4 unsent", "huỷ 4 tin nhắc chưa kịp gửi"),
    (EventKind.STEP_CANCELLED, "separation: met", "Đã hoàn thành cách ly tạm thời (15 ngày): dừng nhắc hạn"),
    (EventKind.STEP_CANCELLED, "chain: case is acknowledged", "Dừng nhắc nhận xử lý tin báo: tin báo đang ở bước «Đã có người nhận xử lý»"),
    (EventKind.OVERDUE_PAGED, "chain#2", "Bộ hẹn giờ (nhận xử lý tin báo) chạy trễ"),
    (EventKind.STATUS_CHANGED, "plan_drafted", "Đã lập kế hoạch hỗ trợ (mẫu 04)"),
    (EventKind.STATUS_CHANGED, "separation extended 15d", "Gia hạn cách ly tạm thời thêm 15 ngày"),
    (EventKind.REASSIGNED, "7b2e0d44", "Giao cho Phạm Văn Dũng"),
    (EventKind.TRANSFERRED, "00070->00073", "Chuyển từ UBND phường Hoàn Kiếm sang UBND phường Cửa Nam"),
    (EventKind.CLOSED, "unfounded", "Kết thúc: Không có cơ sở"),
    (EventKind.LINKED_DUPLICATE, "TE-7K3MQ", "Trùng với tin báo TE-7K3MQ"),
    (EventKind.REPORTER_ADDED, "TE-7K3MQ", "Người báo tin gửi thêm tin báo TE-7K3MQ"),
    (EventKind.ACKNOWLEDGED, None, "Nhận xử lý"),
]


@pytest.mark.parametrize(("kind", "detail", "said"), RECORDED)
def test_each_recorded_detail_reads_as_a_sentence_in_both_languages(kind: EventKind, detail: str | None, said: str) -> None:
    event = CaseEvent(case_id="c", kind=kind, officer_id="0f3a9c21-officer-lan", detail=detail)
    vi = describe("vi", event, names=NAMES, units=UNITS)
    en = describe("en", event, names=NAMES, units=UNITS)
    assert said in vi and vi.endswith(" — Nguyễn Thị Lan")
    assert INTERNAL.findall(vi) == [] and INTERNAL.findall(en) == [] and ENGLISH.findall(vi) == [], (vi, en)
    assert en != vi


@pytest.mark.parametrize("detail", ["chain#0 alert: someone_new", "v2|{json}", "plan#x", "00070->", "ack_timeout: weird"])
def test_an_unknown_detail_is_left_out_not_shown(detail: str) -> None:
    for kind in (EventKind.STEP_SENT, EventKind.STEP_CANCELLED, EventKind.TRANSFERRED, EventKind.OVERDUE_PAGED):
        line = describe("en", CaseEvent(case_id="c", kind=kind, detail=detail), names=NAMES, units=UNITS)
        assert line == t("en", f"event.{kind}") and detail not in line
