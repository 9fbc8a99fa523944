## Vietnamese is the first language of the product. Every key here must also exist in en.ftl.
## The first line of each bot message stays neutral: lock-screen previews show it on shared phones.


## menu
menu-welcome =
    Xin chào. Bạn không cần cho biết tên của mình.

    Bạn muốn làm gì?
menu-report = Báo tin về một bạn nhỏ
menu-language = English
menu-in_progress = Bạn đang điền dở một tin báo. Hãy trả lời câu hỏi bên dưới, hoặc chọn «Huỷ» để dừng.

## nav
nav-back = « Quay lại
nav-cancel = Huỷ
nav-skip = Bỏ qua
nav-done = Xong
nav-cancelled = Đã huỷ. Những gì bạn vừa nhập đã được xoá.
nav-nothing_to_go_back = Đây là câu hỏi đầu tiên.

## step.relation
step-relation-prompt = Bạn có quan hệ gì với bạn nhỏ?
step-relation-relative = Người thân
step-relation-neighbour = Hàng xóm
step-relation-teacher = Thầy cô giáo
step-relation-friend = Bạn bè
step-relation-other = Khác

## step.category
step-category-prompt = Chuyện gì đang xảy ra với bạn nhỏ?
step-category-physical = Bạo lực thể chất
step-category-sexual = Xâm hại tình dục
step-category-neglect = Bỏ rơi, bỏ mặc
step-category-exploitation = Bóc lột, lao động trẻ em
step-category-trafficking = Mua bán, bắt cóc
step-category-online = Xâm hại trên mạng
step-category-bullying = Bắt nạt ở trường
step-category-other = Khác

## step.age_band
step-age_band-prompt = Bạn nhỏ khoảng bao nhiêu tuổi?
step-age_band-0-5 = 0–5 tuổi
step-age_band-6-10 = 6–10 tuổi
step-age_band-11-15 = 11–15 tuổi
step-age_band-16-17 = 16–17 tuổi
step-age_band-unknown = Không biết

## step.sex
step-sex-prompt = Bạn nhỏ là bé gái hay bé trai?
step-sex-girl = Bé gái
step-sex-boy = Bé trai
step-sex-unknown = Không biết

## step.danger
step-danger-prompt = Bạn nhỏ có đang gặp nguy hiểm ngay lúc này không?
step-danger-yes = Có, đang nguy hiểm
step-danger-no = Không
step-danger-told =
    Hãy gọi ngay 113 (công an) hoặc 111 (Tổng đài quốc gia bảo vệ trẻ em, miễn phí, 24/7); cấp cứu: 115.
    Tin báo đã được chuyển ngay cho cán bộ bảo vệ trẻ em như một tin khẩn cấp. Bạn có thể tiếp tục trả lời để bổ sung.
step-danger-urgent_now = Nếu bạn nhỏ đang gặp nguy hiểm, hãy gọi ngay 113 (công an) hoặc 111 (Tổng đài quốc gia bảo vệ trẻ em, miễn phí, 24/7). Bạn vẫn có thể tiếp tục báo tin ở đây.

## step.setting (optional: where it happened, for the report's "where" table)
step-setting-prompt = Chuyện này xảy ra ở đâu? Nếu không rõ, bạn chọn «Bỏ qua».
step-setting-home = Ở nhà
step-setting-school = Ở trường, lớp học
step-setting-online = Trên mạng
step-setting-public = Nơi công cộng
step-setting-other = Nơi khác

## step.place
step-place-prompt = Việc này xảy ra ở xã/phường nào? Hãy gõ tên xã/phường (có thể gõ không dấu, ví dụ: hoan kiem), hoặc gửi vị trí (📎 → Vị trí).
step-place-prompt_zalo = Việc này xảy ra ở xã/phường nào? Hãy gõ tên xã/phường (có thể gõ không dấu, ví dụ: hoan kiem).
step-place-after_pin = Đã nhận vị trí. Để chuyển đúng nơi, hãy gõ thêm tên xã/phường, hoặc chọn «Không biết».
step-place-unknown = Không biết
step-place-no_match = Không tìm thấy xã/phường «{ $query }». Từ 1/7/2025 nhiều xã, phường đã sáp nhập và đổi tên; bạn gõ tên cũ hay tên mới đều được. Hãy gõ lại tên (ví dụ: Hoàn Kiếm, Hà Nội), hoặc chọn «Không biết».
place-renamed_intro = Từ 1/7/2025 nhiều xã, phường đã sáp nhập và đổi tên:
place-renamed = • { $old } (cũ) nay là { $new }.
place-renamed_split = • { $old } (cũ) nay thuộc một trong các nơi: { $new }. Bạn chọn nơi đúng bên dưới.

## step.place_confirm
step-place_confirm-prompt = Có phải một trong các nơi này không?
step-place_confirm-retype = Không phải, gõ lại

## step.address
step-address-prompt = Bạn có muốn ghi thêm địa chỉ cụ thể (thôn, tổ, số nhà, trường học…) không? Không bắt buộc.

## step.description
step-description-prompt = Hãy kể ngắn gọn chuyện gì đã xảy ra, khi nào, ai liên quan. Không bắt buộc — bạn có thể chọn «Bỏ qua».
step-description-too_long = Nội dung dài { $length } ký tự, vượt quá giới hạn { $limit } ký tự. Hãy rút gọn và gửi lại.

## step.photos
step-photos-prompt = Nếu có ảnh làm bằng chứng, bạn có thể gửi ảnh (tối đa { $limit } ảnh). Gửi xong chọn «Xong», hoặc «Bỏ qua».
step-photos-received = Đã nhận ảnh ({ $count }/{ $limit }). Gửi thêm hoặc chọn «Xong».
step-photos-limit_reached = Đã đủ { $limit } ảnh. Chọn «Xong» để tiếp tục.
step-photos-too_big = Ảnh quá lớn (tối đa { $limit_mb } MB). Hãy gửi ảnh nhỏ hơn.
step-photos-unreadable = Không đọc được ảnh này. Hãy gửi ảnh JPEG hoặc PNG.
step-photos-not_now = Bước này chưa nhận ảnh. Bạn có thể gửi ảnh ở bước sau.
step-photos-text_instead = Ở bước này hãy gửi ảnh, hoặc chọn «Xong» / «Bỏ qua».

## step.contact
step-contact-prompt = Cán bộ bảo vệ trẻ em có thể nhắn lại cho bạn qua cuộc trò chuyện này nếu cần hỏi thêm không? Danh tính của bạn vẫn được giữ kín.
step-contact-yes = Có, được nhắn lại
step-contact-no = Không

## step.review
step-review-prompt = Hãy kiểm tra lại tin báo:
step-review-submit = Gửi tin báo
step-review-relation = Bạn là
step-review-category = Sự việc
step-review-age_band = Tuổi
step-review-sex = Giới tính
step-review-danger = Nguy hiểm ngay
step-review-setting = Xảy ra ở
step-review-place = Nơi xảy ra
step-review-pin = Vị trí đã gửi
step-review-address = Địa chỉ
step-review-description = Mô tả
step-review-photos = Ảnh
step-review-contact = Được nhắn lại
step-review-unknown_place = Chưa rõ
step-review-none = —
step-review-yes = Có
step-review-no = Không

## submitted
submitted-again = Tin báo của bạn đã được gửi rồi. Đây là biên nhận của bạn một lần nữa:
submitted-text =
    Cảm ơn bạn. Tin báo đã được gửi tới cán bộ bảo vệ trẻ em.

    Mã tin báo: { $code }
    Hãy ghi lại mã này.

    Tiếp theo: cán bộ phụ trách sẽ tiếp nhận và xác minh, đánh giá mức độ nguy hiểm cho bạn nhỏ trong vòng 12 giờ.
submitted-contact_yes = Nếu cần hỏi thêm, cán bộ sẽ nhắn cho bạn tại đây.
submitted-contact_no = Cán bộ sẽ không liên lạc lại với bạn.
submitted-hotline = Bạn cũng có thể gọi 111 — Tổng đài quốc gia bảo vệ trẻ em (miễn phí, 24/7).
submitted-hotline_urgent = Nếu bạn nhỏ đang gặp nguy hiểm ngay lúc này, hãy gọi 113 (công an) ngay. Tổng đài 111 (miễn phí, 24/7) luôn sẵn sàng hỗ trợ.

## input
input-choose_button = Hãy chọn một trong các lựa chọn bên dưới (bấm nút hoặc gõ số thứ tự).
input-choose_button_zalo = Hãy chọn một trong các lựa chọn bên dưới (gõ số thứ tự hoặc gõ chữ).
input-old_button = Nút này thuộc một câu hỏi trước. Đây là câu hỏi hiện tại:
input-unsupported = Mình chỉ đọc được chữ, nút bấm, vị trí và ảnh. Hãy trả lời câu hỏi bên dưới.
input-unsupported_zalo = Mình chỉ đọc được chữ, số thứ tự và ảnh. Hãy trả lời câu hỏi bên dưới.
input-location_not_now = Bước này chưa cần vị trí. Hãy trả lời câu hỏi bên dưới.
input-unknown_command = Không có lệnh này. Hãy trả lời câu hỏi bên dưới, hoặc chọn «Huỷ».
input-empty = Tin nhắn trống. Hãy trả lời câu hỏi bên dưới.
input-try_again_later = Hệ thống đang bận. Những gì bạn đã nhập vẫn được giữ; hãy thử lại sau ít phút.

## alert
alert-title = Tin báo mới { $code }
alert-urgent = 🔴 KHẨN CẤP — trẻ đang gặp nguy hiểm
alert-normal = Mức độ: thường
alert-category = Sự việc: { $value }
alert-place = Nơi: { $value }
alert-place_unknown = Nơi: chưa rõ (người báo không biết xã/phường)
alert-age = Tuổi: { $value }
alert-sex = Giới tính: { $value }
alert-received = Nhận lúc: { $value }
alert-acknowledged = ✅ { $name } đã nhận xử lý lúc { $at }
alert-ack = Tôi nhận xử lý
alert-view = Xem chi tiết

## officer
officer-not_officer = Xin lỗi, chỉ cán bộ được phân công của đơn vị này mới thực hiện được thao tác này.
officer-already_taken = Tin báo này đã được { $name } nhận xử lý.
officer-you_took_it = Bạn đã nhận xử lý tin báo { $code }.
officer-details_sent = Chi tiết đã được gửi riêng cho bạn. Nếu không thấy, hãy mở trò chuyện riêng với bot và bấm /start.
officer-details_sent_zalo = Chi tiết tin báo đang được gửi cho bạn ngay trong cuộc trò chuyện này.
officer-details_title = Chi tiết tin báo { $code } (bảo mật — không chuyển tiếp)
officer-details_relation = Người báo là: { $value }
officer-details_pin = Vị trí: { $lat }, { $lon }
officer-details_address = Địa chỉ: { $value }
officer-details_description = Mô tả: { $value }
officer-details_contact = Người báo đồng ý được nhắn lại: { $value }
officer-details_attachments = Ảnh / tin nhắn thoại kèm theo: { $count }
officer-details_danger_words = ⚠️ Nội dung có từ ngữ báo hiệu nguy hiểm (tự hại, bị nhốt, bị đánh…)
## terminal
terminal-intro = Bot bảo vệ trẻ em — chạy thử trong terminal. Gõ như người báo tin; '!1' bấm nút đầu tiên trên thẻ báo của nhóm trực (với tư cách cán bộ trực); '!web' lấy đường dẫn đăng nhập trang web cán bộ (khi có WEB_BASE_URL và WEB_PORT); '/location VĨ_ĐỘ KINH_ĐỘ' và '/photo ĐƯỜNG_DẪN' gửi vị trí hoặc ảnh; Ctrl-D để thoát.
terminal-group = Nhóm trực { $address }
terminal-private = Trò chuyện riêng với cán bộ
terminal-new = tin mới
terminal-edited = thẻ đã sửa
terminal-photo = (ảnh { $number }, { $kind })
terminal-no_button = (thẻ báo không có nút này)
terminal-unreadable = (không đọc được: { $reason })
terminal-toast = {"["}thông báo cho { $login }] { $text }

## discreet
discreet-header = 💬 Tin nhắn mới
wipe-done = Đã xong.
menu-child = Em cần giúp đỡ
nav-wipe = 🧹 Xoá tin nhắn
input-voice_not_now = Bước này chưa nhận tin nhắn thoại. Hãy trả lời câu hỏi bên dưới.
input-voice_too_long = Tin nhắn thoại quá dài. Em hãy gửi tin ngắn hơn, hoặc viết vài chữ nhé.

## step.category / relation (used by cards and details)
step-category-unknown = Chưa rõ
step-relation-self = Chính em nhỏ (trẻ tự báo)
alert-child_self = 👧 Trẻ em tự báo
alert-via_web = 🌐 Gửi qua trang trò chuyện trên web

## child
child-welcome = Chào em. Em đã làm đúng khi nhắn ở đây. Em không cần nói tên.
child-danger_numbers =
    Hãy gọi ngay:
    📞 111 — Tổng đài bảo vệ trẻ em (miễn phí)
    📞 113 — Công an
    📞 115 — Cấp cứu
child-danger_told =
    { child-danger_numbers }
    Mình đã báo ngay cho cô chú cán bộ bảo vệ trẻ em.
child-thanks =
    Cảm ơn em. Đây không phải lỗi của em. Em đã làm rất đúng.

    Cô chú cán bộ bảo vệ trẻ em đã nhận được tin.
    Mã của em: { $code }
child-contact_yes = Cô chú sẽ nhắn cho em ở đây. Em có thể xoá tin nhắn bất cứ lúc nào bằng nút «Xoá tin nhắn» hoặc lệnh /xoa.
child-contact_no = Khi cần, em hãy gọi 111 (miễn phí, cả ngày lẫn đêm). Em có thể xoá tin nhắn bằng nút «Xoá tin nhắn» hoặc lệnh /xoa.
child-contact_yes_zalo = Cô chú sẽ nhắn cho em ở đây. Zalo không cho bot xoá tin nhắn, nên khi cần em hãy tự xoá cuộc trò chuyện này (giữ vào cuộc trò chuyện → Xoá).
child-contact_no_zalo = Khi cần, em hãy gọi 111 (miễn phí, cả ngày lẫn đêm). Zalo không cho bot xoá tin nhắn, nên khi cần em hãy tự xoá cuộc trò chuyện này (giữ vào cuộc trò chuyện → Xoá).

## step.child_danger
step-child_danger-prompt = Ngay lúc này em có đang gặp nguy hiểm không?
step-child_danger-yes = Có, em đang gặp nguy hiểm
step-child_danger-no = Không

## step.child_what
step-child_what-prompt = Chuyện gì đang xảy ra với em?
step-child_what-hit = Có người đánh em
step-child_what-touch = Có người động chạm em mà em không thích
step-child_what-bullied = Em bị bắt nạt ở trường hoặc trên mạng
step-child_what-alone = Em bị bỏ một mình, không được cho ăn
step-child_what-online = Có người trên mạng đòi ảnh hoặc đe doạ em
step-child_what-other = Chuyện khác

## step.child_more
step-child_more-prompt = Em có muốn kể thêm không? Em có thể viết, hoặc gửi tin nhắn thoại. Không muốn thì chọn «Bỏ qua».

## step.child_place
step-child_place-prompt = Em đang ở xã hay phường nào? Em gõ tên, hoặc gửi vị trí. Không muốn nói thì chọn «Bỏ qua».
step-child_place-prompt_zalo = Em đang ở xã hay phường nào? Em gõ tên xã/phường nhé. Không muốn nói thì chọn «Bỏ qua».
step-child_place-after_pin = Mình đã nhận vị trí. Em biết tên xã/phường thì gõ thêm nhé, không thì chọn «Bỏ qua».
step-child_place-unknown = Bỏ qua
step-child_place-no_match = Mình chưa tìm thấy «{ $query }». Em gõ lại nhé (tên cũ trước năm 2025 cũng được), hoặc chọn «Bỏ qua».
step-child_place_confirm-prompt = Có phải nơi này không?
step-child_place_confirm-retype = Không phải, em gõ lại

## step.child_contact
step-child_contact-prompt = Cô chú cán bộ có thể nhắn cho em ở đây không?
step-child_contact-yes = Có
step-child_contact-no = Không

## zalo (no buttons: numbered lists and reply commands)
zalo-reply_hint = Trả lời { $numbers } (hoặc gõ chữ).
zalo-or = hoặc
zalo-officer_commands = Trả lời «nhan { $code }» để nhận xử lý, «xem { $code }» để xem chi tiết.
zalo-attachments_elsewhere = Có { $count } tệp kèm theo. Zalo chưa cho bot gửi tệp: bạn mở trang web cán bộ để xem hoặc tải về (nhắn /web để nhận đường dẫn đăng nhập).
zalo-unreadable =
    Mình chưa đọc được tin nhắn này: Zalo không chuyển tin nhắn của một số tài khoản (như tài khoản của các bạn nhỏ) đến đây.
    Nếu em cần giúp đỡ, hãy gọi 111 — miễn phí, 24/7. Em cũng có thể kể với một người lớn mà em tin tưởng.
zalo-unreadable_web = Em cũng có thể trò chuyện riêng với chúng mình tại { $address } — không cần tài khoản hay ứng dụng.
zalo-wipe_by_hand =
    Đã xong.
    Zalo không cho phép bot xoá tin nhắn. Bạn hãy tự xoá cuộc trò chuyện này trong Zalo (giữ vào cuộc trò chuyện → Xoá).

## backup / restore (`python -m bot backup`, `python -m bot restore`)
backup-help = Sao lưu nhất quán cơ sở dữ liệu và, riêng ra, kho khoá (khi bot đang chạy vẫn được).
backup-help_dir = thư mục ghi bản sao cơ sở dữ liệu (db-<thời điểm>)
backup-help_keys_dir = thư mục ghi bản sao kho khoá (keys-<thời điểm>), nên ở nơi khác (mặc định: như trên)
backup-help_keep = bản sao kho khoá cũ hơn số giờ này bị xoá (mặc định 24, không dài hơn chu kỳ xoá dữ liệu)
backup-done = Đã sao lưu cơ sở dữ liệu vào { $database } và { $count } khoá bọc vào { $keys }.
backup-pruned = Đã xoá { $count } bản sao kho khoá cũ hơn { $hours } giờ: vụ việc đã huỷ không thể mở lại từ bản sao.
backup-failed = Không sao lưu được: { $error }
backup-error-in_memory = DATABASE_URL là cơ sở dữ liệu SQLite trong bộ nhớ: không có gì để sao lưu
backup-error-unsupported = DATABASE_URL: không hỗ trợ cơ sở dữ liệu «{ $backend }»
backup-error-tool_missing = chưa cài { $tool } (Debian: gói postgresql-client)
backup-error-tool_failed = { $tool } báo lỗi: { $detail }
backup-error-no_database = không có cơ sở dữ liệu ở { $path }
backup-error-not_a_copy = { $path } không phải bản sao cơ sở dữ liệu do lệnh backup tạo
backup-error-other_backend = bản sao là của cơ sở dữ liệu { $copy }, còn DATABASE_URL là { $target }
backup-error-target_exists = { $path } đã có: hãy khôi phục vào một DATABASE_URL mới
restore-help = Khôi phục một bản sao cơ sở dữ liệu vào DATABASE_URL (phải còn trống) và bổ sung kho khoá, rồi kiểm tra mọi khoá.
restore-help_database = thư mục bản sao cơ sở dữ liệu (db-<thời điểm>) do lệnh backup tạo
restore-help_keys = thư mục bản sao kho khoá (keys-<thời điểm>) để bổ sung vào KEY_STORE_DIR
restore-done = Đã khôi phục cơ sở dữ liệu ({ $database }); đã thêm { $added } khoá bọc vào kho khoá. Kiểm tra khoá:
restore-failed = Không khôi phục được: { $error }

## poster (`python -m bot poster`)
poster-help = Áp phích A4 cho trường học và bảng tin xã/phường: mã QR mở trò chuyện trên web, số 111.
poster-help_unit = mã xã/phường (hoặc tỉnh) trong tệp triển khai
poster-help_out = tệp PDF ghi ra (mặc định poster-<mã>.pdf)
poster-help_url = địa chỉ trò chuyện trên web (mặc định PUBLIC_BASE_URL)
poster-unknown_unit = Không có đơn vị mã { $code } trong tệp triển khai.
poster-needs_url = Chưa có địa chỉ trò chuyện trên web: đặt PUBLIC_BASE_URL hoặc dùng --url.
poster-written = Đã ghi { $file } (mã QR: { $address }).
poster-title = Em cần giúp đỡ?
poster-words = Nếu có ai làm em đau, làm em sợ, hay em thấy một bạn đang gặp chuyện không ổn — đó không phải lỗi của em. Em có thể nói ra.
poster-call = Gọi 111
poster-call_note = miễn phí, cả ngày lẫn đêm
poster-scan = Hoặc quét mã này để nhắn tin — không cần tài khoản, không cần cài ứng dụng:
poster-private = Không ai biết em là ai. Bấm «Thoát nhanh» để rời đi ngay.
poster-footer = Tổng đài quốc gia bảo vệ trẻ em 111 · { $unit }

## admin (the command line)
admin-config_ok = { $file }: { $units } đơn vị, { $officers } cán bộ — hợp lệ
admin-config_collaborators = { $count } cộng tác viên ở { $communes } xã/phường: tin họ báo gửi thẳng về xã/phường của họ
admin-no_duty_group = lưu ý: đơn vị { $code } ({ $name }) chưa có nhóm trực; thẻ báo sẽ gửi lên đơn vị cấp trên
admin-no_roster = lưu ý: đơn vị { $code } ({ $name }) chưa có lịch trực; bước «cán bộ trực» sẽ được bỏ qua và chuyển ngay sang bước sau
admin-chain_silent = lỗi: đơn vị { $code } ({ $name }): tin khẩn cấp không ai nhận sẽ không báo được cho ai sau thẻ đầu tiên — hãy khai báo lịch trực ([[rosters]]), lãnh đạo (role = "leader"), đơn vị cấp trên có nhóm trực (parent) hoặc national_contact
admin-step_silent = lưu ý: đơn vị { $code } ({ $name }): bước khẩn cấp sau { $after } ({ $targets }) không báo được cho ai; bước này bị bỏ qua và chuyển ngay sang bước sau
admin-demo_mode = lưu ý: chưa đặt TELEGRAM_BOT_TOKEN hay ZALO_BOT_TOKEN; `python -m bot` sẽ chạy bản thử trong terminal
admin-groups_without_telegram = cảnh báo: có đơn vị dùng nhóm trực Telegram nhưng TELEGRAM_BOT_TOKEN để trống: thẻ báo không gửi được
admin-config_error = lỗi cấu hình: { $error }
admin-missing_secrets = lỗi cấu hình: chưa đặt MASTER_KEYS và PSEUDONYM_PEPPER (xem .env.example). Lệnh này cần đúng khoá của bot đang chạy; khoá thử chỉ có ở bản thử trong terminal, trên cơ sở dữ liệu riêng của nó. Không có gì bị thay đổi.
admin-short_pepper = lỗi cấu hình: PSEUDONYM_PEPPER phải dài ít nhất 16 ký tự ngẫu nhiên. Không có gì bị thay đổi.
admin-wait_unreadable = «{ $value }» không phải một khoảng thời gian; hãy viết như 30s, 5m, 2h hoặc 1d
admin-wait_negative = thời gian chờ không được âm ({ $value })
admin-wait_under_a_second = thời gian chờ { $value } ngắn hơn một giây: bộ hẹn giờ chỉ kiểm tra khoảng mỗi giây một lần; hãy viết 0s hoặc từ 1s trở lên
admin-wait_zero = thời gian chờ này phải lớn hơn 0 (đang là { $value })

## status (the Decree 56 process)
status-received = Mới nhận, chưa ai nhận xử lý
status-acknowledged = Đã có người nhận xử lý
status-assessed = Đã đánh giá ban đầu (mẫu 02)
status-protecting = Đang bảo vệ khẩn cấp / cách ly tạm thời
status-detailed_assessment = Đã đánh giá chi tiết (mẫu 03)
status-plan_drafted = Đã lập kế hoạch hỗ trợ (mẫu 04)
status-plan_approved = Kế hoạch đã được duyệt (mẫu 05)
status-monitoring = Đang thực hiện và theo dõi
status-closed = Đã đóng (mẫu 06)

## clock (Decree 56 deadlines on cards)
clock-assessment = Đánh giá ban đầu (12 giờ)
clock-plan = Kế hoạch hỗ trợ (5 ngày làm việc)
clock-separation = Hết hạn cách ly tạm thời (15 ngày)
clock-left = ⏳ { $what }: hạn { $due } (còn { $left })
clock-overdue = 🔴 { $what }: QUÁ HẠN từ { $due } ({ $late })
clock-minutes = { $minutes } phút
clock-hours_minutes = { $hours } giờ { $minutes } phút

## escalation
escalation-not_taken = ⏰ Chưa có ai nhận xử lý sau { $elapsed }.
escalation-police_notice = 🚔 Thông báo cho cơ quan công an: tin báo có dấu hiệu tội phạm. Cán bộ bảo vệ trẻ em đang xử lý; đây là tin để phối hợp.
escalation-timed_out = ⏰ Tin báo { $code } đã được nhận nhưng chưa có cập nhật nào trong thời hạn. Tin báo được trả lại cho đơn vị để người trực nhận xử lý.
escalation-overdue_page = ⚠️ Bộ hẹn giờ của tin báo { $code } đang trễ { $late }. Xin kiểm tra hệ thống và liên hệ đơn vị xử lý ngay.
deadline-reminder = ⏳ Tin báo { $code }: { $what } — hạn { $due }, còn { $left }.
deadline-missed = 🔴 Tin báo { $code }: { $what } — đã quá hạn từ { $due } ({ $late }).

## officer workflow
officer-details_status = Tình trạng: { $value }
officer-not_owner = Chỉ người đã nhận xử lý (hoặc lãnh đạo, cấp tỉnh) mới làm được việc này.
officer-work = Vẫn đang xử lý
officer-work_noted = Đã ghi nhận: bạn vẫn đang xử lý { $code }.
officer-release = Trả lại cho đơn vị
officer-released = Đã trả { $code } lại cho đơn vị; người trực sẽ được báo.
officer-status_changed = { $code }: { $status }
officer-not_now = Không thực hiện được ở bước hiện tại ({ $status }).
officer-extend = Cách ly được gia hạn
officer-extended = Đã ghi nhận gia hạn cách ly tạm thời cho { $code }.
officer-to-assessed = Đã đánh giá ban đầu (mẫu 02)
officer-to-protecting = Bảo vệ khẩn cấp / cách ly tạm thời
officer-to-detailed_assessment = Đã đánh giá chi tiết (mẫu 03)
officer-to-plan_drafted = Đã lập kế hoạch (mẫu 04)
officer-to-plan_approved = Kế hoạch đã được duyệt (mẫu 05)
officer-to-monitoring = Đang thực hiện, theo dõi
zalo-officer_action = «{ $command }» — { $label }

## roster
roster-handoff = 📋 Bạn nhận ca trực bảo vệ trẻ em của { $unit } đến { $until }.
roster-handoff_open = { $count } tin báo đang mở (ở trên). Bấm /start trong trò chuyện riêng để xem chi tiết.
roster-handoff_open_zalo = { $count } tin báo đang mở (ở trên). Gõ «xem» và mã tin báo (ví dụ: xem TE-7K3MQ) để đọc chi tiết, hoặc /cases để xem danh sách.
roster-handoff_none = Hiện không có tin báo nào đang mở.
roster-title = Lịch trực { $unit } — từ { $start }
roster-now = Đang trực: { $officer } (dự phòng: { $backup }) đến { $until }
roster-line = { $start } → { $end }: { $officer } (dự phòng: { $backup }){ $note }
roster-nobody = KHÔNG CÓ AI
roster-gap = ⚠️ Khoảng trống: không có ai trực từ { $start } đến { $end }
roster-no_gaps = Không có khoảng trống trong 14 ngày tới.
roster-no_roster = Đơn vị { $unit } chưa có lịch trực (khai báo [[rosters]] trong tệp triển khai).
roster-added = Đã thêm: { $kind } cho { $officer } từ { $start } đến { $end }.
roster-kind-leave = nghỉ
roster-kind-cover = trực thay
roster-source-rotation = {""}
roster-source-cover = {" "}(thay người nghỉ)
roster-source-holiday = {" "}(trực ngày lễ)
roster-source-override = {" "}(trực thay)
roster-source-gap = {""}

## audit (the command line)
audit-intact = nhật ký truy cập nguyên vẹn ({ $count } mục)
audit-broken = CẢNH BÁO: nhật ký truy cập bị can thiệp tại mục số { $seq } ({ $time }): { $why }
audit-why_edited = mục này đã bị sửa (nội dung không còn khớp mã băm)
audit-why_removed = có mục bị xoá hoặc bị đổi thứ tự ngay trước mục này (không còn nối tiếp mục trước)
audit-title = Lịch sử truy cập tin báo { $code } ({ $count } mục):
audit-line = { $time } — { $officer } — { $action }
audit-no_officer = —
audit-empty = chưa có ai truy cập tin báo này
audit-unknown_case = không có tin báo nào mang mã { $code }

## follow (the reporter after submitting)
submitted-secret =
    Mật mã theo dõi: { $secret }
    Với mã tin báo và mật mã này, bạn gõ /tracuu để xem tiến độ, đọc câu hỏi của cán bộ hoặc bổ sung thông tin — kể cả từ máy khác hay sau khi đã xoá cuộc trò chuyện. Đừng cho ai biết mật mã.
child-secret = Mật mã của em: { $secret }. Em gõ /tracuu, rồi gửi mã và mật mã này, để xem cô chú đã làm gì hoặc nhắn thêm.
follow-ask_code = Bạn gửi mã tin báo (ví dụ TE-7K3MQ).
follow-bad_code = Mã tin báo có dạng TE- và 5 chữ hoặc số (ví dụ TE-7K3MQ). Bạn gửi lại nhé.
follow-ask_secret = Bây giờ bạn gửi mật mã theo dõi (10 chữ số).
follow-wrong = Mã hoặc mật mã chưa đúng. Bạn kiểm tra lại rồi gửi lại mã tin báo.
follow-blocked = Đã thử sai quá nhiều lần. Vì an toàn, bạn hãy thử lại sau 15 phút (sau nhiều lần sai: ngày mai). Nếu cần gấp, hãy gọi 111.
follow-status = Tin báo { $code }: { $status }
follow-status_received = Đã nhận. Cán bộ bảo vệ trẻ em đang được báo để tiếp nhận.
follow-status_handling = Cán bộ bảo vệ trẻ em đang xử lý.
follow-status_closed = Việc xử lý đã kết thúc. Cảm ơn bạn đã báo tin.
follow-question = ❓ Cán bộ hỏi: { $text }
follow-no_new = Không có tin nhắn mới từ cán bộ.
follow-add = Trả lời / bổ sung thông tin
follow-stop = Đừng liên lạc với tôi nữa
follow-done = Xong
follow-bye = Đã xong. Khi cần, bạn gõ /tracuu.
follow-write_now = Bạn viết câu trả lời hoặc thông tin bổ sung (có thể gửi ảnh). Cán bộ sẽ nhận được, không biết bạn là ai.
follow-sent = Đã gửi tới cán bộ phụ trách. Bạn có thể viết thêm, hoặc chọn «Xong».
follow-stopped = Đã ghi nhận: cán bộ sẽ không nhắn cho bạn nữa. Bạn vẫn có thể xem tiến độ bằng /tracuu.
follow-closed = Tin báo này đã đóng nên không nhận thêm thông tin. Nếu có việc mới, hãy gửi một tin báo mới hoặc gọi 111.
follow-not_now = Mình chưa hiểu. Bạn làm theo hướng dẫn ở trên, hoặc chọn «Xong».
follow-photo_added = (một ảnh được gửi bổ sung)
follow-photos_limit = Tin báo này đã nhận { $limit } ảnh bổ sung trong 24 giờ qua. Bạn có thể gửi thêm sau, hoặc viết lại điều ảnh cho thấy.
follow-officer_asks = Cán bộ bảo vệ trẻ em hỏi thêm về tin báo { $code }: { $text }
    Bạn chỉ cần viết câu trả lời ở đây.
follow-reply = Trả lời

## desk (the officer's case work)
officer-reporter_wrote = ✉️ Người báo tin { $code } viết: { $text }
desk-note = Ghi chú nội bộ
desk-ask = Hỏi người báo tin
desk-assign = Giao cho cán bộ khác
desk-transfer = Chuyển đơn vị khác
desk-dup = Trùng với tin báo khác
desk-close = Kết thúc (mẫu 06)
desk-message-to_reporter = ❓ { $at } đã hỏi người báo: { $text }
desk-message-from_reporter = ✉️ { $at } người báo: { $text }
desk-message-note = 📝 { $at } ghi chú: { $text }
desk-timeline = Diễn biến:
desk-no_cases = Không có tin báo nào đang mở.
desk-cases_title = { $count } tin báo đang mở (khẩn và sắp hết hạn trước):
desk-no_contact = Người báo không đồng ý được liên lạc lại.
desk-prompt-note = Bạn viết ghi chú cho { $code } (chỉ cán bộ đọc được). Gõ /huy để thôi.
desk-prompt-ask = Bạn viết câu hỏi cho người báo tin { $code }. Họ sẽ không biết bạn là ai. Gõ /huy để thôi.
desk-prompt-transfer = Bạn gõ mã đơn vị nhận { $code } (ví dụ 00070 cho phường, 01 cho tỉnh). Gõ /huy để thôi.
desk-prompt-dup = Bạn gõ mã tin báo mà { $code } trùng với (ví dụ TE-7K3MQ). Gõ /huy để thôi.
desk-choose-assign = Giao { $code } cho ai?
desk-choose-close = Kết thúc { $code } với kết quả nào?
desk-assigned_to_you = 📌 { $by } đã giao tin báo { $code } cho bạn.
desk-assigned = Đã giao { $code }.
desk-closed = Đã kết thúc { $code }.
desk-safe_needs_monitoring = Chỉ kết thúc «trẻ an toàn» sau bước thực hiện và theo dõi.
desk-unknown_case = Không tìm thấy tin báo đó trong phạm vi của bạn.
desk-unknown_unit = Không có đơn vị với mã đó (hoặc đó là đơn vị hiện tại).
desk-transferred = Đã chuyển { $code }; đơn vị mới nhận thẻ báo và bắt đầu quy trình của mình.
desk-purged = Nội dung tin báo { $code } đã được xoá vĩnh viễn khi hết thời hạn lưu trữ; chỉ còn số liệu thống kê.
desk-photos_on_web = 📷 { $count } ảnh/tệp kèm theo. Zalo chưa cho bot gửi ảnh: bạn xem ảnh trên trang web cán bộ: { $link }
desk-photos_not_on_zalo = 📷 { $count } ảnh/tệp kèm theo. Zalo chưa cho bot gửi ảnh, và trang web cán bộ (nơi xem được ảnh) chưa được bật: bạn nhờ quản trị viên bật trang này.
desk-report_coming = Đang lập báo cáo { $period } của đơn vị bạn; tệp sẽ đến trong giây lát.
desk-report_ready = 📊 Báo cáo { $period } (số liệu tổng hợp, không có nội dung tin báo).
desk-report_refused = Không lập được báo cáo: { $reason }. Ví dụ: /baocao 2026-Q3
desk-input_cancelled = Đã thôi.
desk-done-note = Đã lưu ghi chú cho { $code }.
desk-done-ask = Đã gửi câu hỏi cho người báo tin { $code }.
outcome-safe = Trẻ an toàn, ổn định
outcome-police = Chuyển cơ quan công an
outcome-referred = Chuyển đơn vị khác
outcome-unfounded = Không có cơ sở
outcome-duplicate = Trùng tin báo khác
event-received = Tin báo được tiếp nhận
event-alerted = Thẻ báo đã đến nhóm trực
event-alert_rerouted = Nhóm trực không nhận được thẻ báo: đã gửi lên nhóm cấp trên
event-acknowledged = Nhận xử lý
event-details_viewed = Xem chi tiết tin báo
event-step_sent = Đã báo tiếp theo lịch nhắc
event-step_skipped = Một bước nhắc không báo được ai
event-step_cancelled = Dừng nhắc
event-overdue_paged = Bộ hẹn giờ chạy trễ; đã cảnh báo
event-ack_timed_out = Không cập nhật trong thời hạn: tin báo trả lại đơn vị
event-still_working = Vẫn đang xử lý
event-released = Trả tin báo lại cho đơn vị
event-status_changed = Chuyển bước
event-note_added = Ghi chú
event-reporter_asked = Hỏi người báo tin
event-reporter_replied = Người báo tin trả lời
event-reporter_added = Người báo tin bổ sung thông tin
event-urgent_raised = Người báo tin nói có nguy hiểm sau khi gửi: tin báo chuyển thành khẩn cấp
event-visit_requested = Đã nhờ cộng tác viên thăm nhà
event-contact_stopped = Người báo tin không muốn được liên lạc nữa
event-reassigned = Giao cho cán bộ khác
event-transferred = Chuyển đơn vị
event-linked_duplicate = Đánh dấu trùng tin báo khác
event-closed = Kết thúc
timeline-track-chain = nhận xử lý tin báo
timeline-track-ack_timeout = cập nhật tiến độ
timeline-track-police = báo công an
timeline-track-assessment = đánh giá ban đầu (12 giờ)
timeline-track-plan = kế hoạch hỗ trợ (5 ngày làm việc)
timeline-track-separation = cách ly tạm thời (15 ngày)
timeline-track-other = thời hạn
timeline-target-group = nhóm trực của đơn vị
timeline-target-duty_officer = cán bộ trực
timeline-target-backup = cán bộ trực dự phòng
timeline-target-leader = lãnh đạo xã/phường
timeline-target-parent_group = nhóm trực cấp trên
timeline-target-national = đầu mối quốc gia
timeline-target-owner = cán bộ phụ trách
timeline-target-police = công an
timeline-sent-alert = Đã báo tin tới { $who }
timeline-sent-alert_again = Chưa có ai nhận xử lý: đã báo tiếp tới { $who }
timeline-sent-notice = Đã thông báo cho { $who } để phối hợp
timeline-sent-timeout = Không có cập nhật trong thời hạn: đã báo { $who }
timeline-sent-reminder = Sắp đến hạn { $what }: đã nhắc { $who }
timeline-sent-missed = Đã quá hạn { $what }: đã báo { $who }
timeline-skipped = Không báo được { $who }
timeline-reason-no_duty_group = chưa có nhóm trực
timeline-reason-no_parent_unit = không có đơn vị cấp trên
timeline-reason-no_roster = chưa có lịch trực
timeline-reason-nobody_on_duty = không có ai trực lúc này
timeline-reason-no_leader = chưa có lãnh đạo trong danh sách
timeline-reason-no_national_contact = chưa có đầu mối quốc gia
timeline-reason-no_police_contact = chưa có liên hệ công an
timeline-held = Đang có nhiều tin báo cùng lúc từ tài khoản mới: tin này không có thẻ riêng trong nhóm (xem trong /cases)
timeline-refused = Nhóm trực không nhận được thẻ báo: báo ngay bước tiếp theo
timeline-acked = Đã có người nhận: dừng nhắc
timeline-acked_unsent = Đã có người nhận: dừng nhắc, huỷ { $count } tin nhắc chưa kịp gửi
timeline-met = Đã hoàn thành { $what }: dừng nhắc hạn
timeline-stopped = Dừng nhắc { $what }: tin báo đang ở bước «{ $status }»
timeline-overdue = Bộ hẹn giờ ({ $what }) chạy trễ; đã cảnh báo các nhóm trực
timeline-extended = Gia hạn cách ly tạm thời thêm { $days } ngày
timeline-reassigned = Giao cho { $name }
timeline-transferred = Chuyển từ { $old } sang { $new }
timeline-closed = Kết thúc: { $outcome }
timeline-duplicate_of = Trùng với tin báo { $code }
timeline-another_report = Người báo tin gửi thêm tin báo { $code }

## record (the case's dossier: form 01 and the steps after it)
record-title = PHIẾU GHI NHẬN THÔNG TIN, THÔNG BÁO, TỐ GIÁC VỀ HÀNH VI XÂM HẠI TRẺ EM — { $code }
record-subtitle = Theo mẫu số 01, Nghị định 56/2017/NĐ-CP. Tài liệu mật: chỉ dùng cho hồ sơ bảo vệ trẻ em.
record-footer = Người báo tin giấu tên; thông tin người báo không được ghi vì họ không đồng ý cung cấp. Trích xuất từ hệ thống tiếp nhận tin báo; mỗi lần trích xuất được ghi nhật ký.
record-intake = 1. Tiếp nhận
record-code = Mã tin báo
record-received = Thời gian tiếp nhận
record-channel = Hình thức tiếp nhận
record-channel_value = Tin nhắn qua { $channel }
record-unit = Đơn vị tiếp nhận
record-child = 2. Thông tin về trẻ em
record-child_name = Họ tên
record-age = Tuổi (ước tính)
record-sex = Giới tính
record-place = Nơi xảy ra (xã/phường)
record-address = Địa chỉ cụ thể
record-form = Hình thức xâm hại
record-danger = Đang gặp nguy hiểm
record-description = Tình trạng, diễn biến
record-attachments = Ảnh / ghi âm kèm theo
record-carers = Cha mẹ, người chăm sóc; biện pháp đã thực hiện
record-reporter = 3. Người báo tin
record-reporter_identity = Họ tên, địa chỉ
record-anonymous = Giấu tên (người báo không đồng ý cung cấp)
record-relation = Quan hệ với trẻ
record-contact = Đồng ý được liên lạc lại
record-added = 4. Thông tin bổ sung của người báo
record-steps = 5. Các bước xử lý đã ghi nhận (mẫu 02–06)
record-unknown = Không có thông tin
record-unknown_case = không có tin báo nào mang mã { $code }
record-written = đã ghi { $path }

## report (periodic reports)
report-title = Báo cáo định kỳ về tin báo xâm hại trẻ em
report-unit = Đơn vị: { $unit }
report-period = Kỳ báo cáo: { $period } ({ $dates })
report-generated = Số liệu tính đến: { $time }
report-counting = Vụ việc và trẻ em được đếm riêng: một vụ có thể liên quan nhiều trẻ (cán bộ ghi số trẻ khi đánh giá; chưa đánh giá thì tính 1 trẻ), một trẻ trong nhiều vụ được cán bộ đánh dấu «cùng một trẻ» chỉ tính một lần. Chỉ tiêu 0101 là số trẻ em bị xâm hại, từ các vụ cán bộ đã xác nhận khi đánh giá (không tính tin báo không có cơ sở và tin báo trùng). Tin báo trùng không tính vào chỉ số nào. Mỗi vụ thuộc kỳ có ngày nhận tin (giờ Việt Nam); thử nghiệm trên máy (terminal) không được tính. Báo cáo chỉ dùng các trường không mã hoá, không mở nội dung tin báo.
report-period-month = Tháng { $month } năm { $year }
report-period-quarter = Quý { $quarter } năm { $year }
report-period-h1 = 6 tháng đầu năm { $year }
report-period-h2 = 6 tháng cuối năm { $year }
report-period-nine_months = 9 tháng đầu năm { $year }
report-period-year = Năm { $year }
report-table-category = Số vụ theo loại tin báo người báo chọn, và hình thức xâm hại tương ứng (Điều 4 Luật Trẻ em)
report-table-setting = Số vụ theo nơi xảy ra (người lớn báo tin được hỏi, có thể bỏ qua; trẻ em tự báo không bị hỏi thêm)
report-sheet-setting = Nơi xảy ra
report-col-setting = Nơi xảy ra
report-table-age_sex = Số trẻ em bị xâm hại theo nhóm tuổi và giới tính (chỉ tiêu 0101)
report-table-channel = Số vụ theo kênh tiếp nhận
report-table-reporter = Số vụ theo nguồn tin (ai báo)
report-table-outcome = Số vụ theo bước xử lý (Nghị định 56) và kết quả
report-table-handling = Chỉ số xử lý tin báo
report-table-units = Số vụ theo đơn vị
report-sheet-category = Loại tin báo
report-sheet-age_sex = Tuổi và giới tính
report-sheet-channel = Kênh tiếp nhận
report-sheet-reporter = Nguồn tin
report-sheet-outcome = Kết quả xử lý
report-sheet-handling = Chỉ số xử lý
report-sheet-units = Theo đơn vị
report-col-form = Hình thức xâm hại
report-col-cases = Số vụ
report-col-age = Nhóm tuổi
report-col-total = Tổng
report-col-channel = Kênh
report-col-reporter = Nguồn tin
report-col-outcome = Kết quả
report-col-indicator = Chỉ số
report-col-value = Giá trị
report-col-unit_code = Mã đơn vị
report-col-unit_name = Đơn vị
report-col-acknowledged = Đã nhận xử lý
report-col-in_time = Đánh giá ban đầu đúng hạn
report-col-overdue = Đang quá hạn
report-total = Tổng cộng
report-not_recorded = Không ghi nhận
report-channel-telegram = Telegram
report-channel-zalo = Zalo
report-channel-web = Trò chuyện trên web
report-reporter-child = Trẻ em tự báo
report-reporter-adult = Người dân báo
report-ind-cases = Số vụ nhận được
report-ind-acknowledged = Số vụ đã có cán bộ nhận xử lý
report-ind-ack_median = Thời gian từ khi nhận tin đến khi có cán bộ nhận xử lý, trung vị (phút)
report-ind-ack_p90 = Thời gian từ khi nhận tin đến khi có cán bộ nhận xử lý, 90% số vụ không quá (phút)
report-ind-clock_over = Số vụ đã được đánh giá ban đầu hoặc đã hết hạn đánh giá
report-ind-assessed_in_time = Số vụ được đánh giá ban đầu trong hạn (12 giờ, hoặc mức riêng của đơn vị)
report-ind-assessed_share = Tỉ lệ đánh giá ban đầu trong hạn (%)
report-ind-overdue = Số vụ đang quá hạn (đánh giá ban đầu hoặc lập kế hoạch hỗ trợ)
report-ind-escalated = Số vụ đã báo lên nhóm trực của tỉnh
report-ind-unread = Tin nhắn Zalo không đọc được (tài khoản được bảo vệ, như của trẻ em) — đã trả lời kèm số 111
report-about = Thông tin
report-charts = Biểu đồ
report-no_cases = Không có tin báo trong kỳ
report-progress = Đang lập báo cáo
report-written = Đã ghi báo cáo: { $path }
report-error = Không lập được báo cáo: { $error }
report-reminder = 🗓 Nhắc lập báo cáo: { $report } của { $unit }, hạn gửi trước ngày { $due }. Bản dự thảo kèm theo (số liệu từ { $dates }).
report-reminder_data_open = Kỳ số liệu chưa kết thúc: bản dự thảo tính đến hôm nay; tải lại văn bản khi hết kỳ.
report-reminder_signer = Người ký: { $signer }.
report-reminder_link = Viết phần Kết quả, Khó khăn, vướng mắc và Kiến nghị, đề xuất rồi tải văn bản trên trang web cán bộ: { $link }
report-period-custom = từ ngày { $first } đến ngày { $last }
report-help_due = lập báo cáo đang đến hạn theo lịch báo cáo của tệp triển khai (thay cho --period)
report-due_none = Lịch báo cáo (report_calendar trong tệp triển khai) không có báo cáo nào đang đến hạn.
report-due_chosen = Báo cáo đến hạn: { $report } của đơn vị { $code }, hạn gửi trước ngày { $due } (số liệu từ { $dates }).
report-due_data_open = Kỳ số liệu chưa kết thúc: số liệu tính đến hôm nay.

## keys and retention (the command line)
keys-rotated = Khoá chủ v{ $version } đang được dùng: đã bọc lại { $rewrapped } khoá dữ liệu, tổng cộng { $total }. Dữ liệu vụ việc không bị động đến.
keys-no_new_version = Không có gì để xoay vòng: mọi khoá dữ liệu đã được bọc bằng v{ $version }, phiên bản cao nhất trong MASTER_KEYS. Hãy thêm phiên bản mới trước (ví dụ { $next }:<base64>).
keys-check_opened = { $opened } khoá dữ liệu mở được ({ $external } khoá có khoá bọc trong kho khoá).
keys-check_shredded = { $count } vụ việc đã bị huỷ khoá (xoá khi hết thời hạn lưu trữ): không mở được là đúng thiết kế.
keys-check_orphans = { $count } khoá trong kho khoá không còn khoá dữ liệu tương ứng (một lần huỷ bị gián đoạn); vô hại.
keys-check_missing = CẢNH BÁO: { $count } khoá dữ liệu không có khoá bọc trong kho khoá { $store }: dữ liệu của chúng không mở được. Vụ việc: { $codes }. Hãy kiểm tra KEY_STORE_DIR hoặc khôi phục kho khoá từ bản sao lưu.
keys-check_failed = LỖI: khoá dữ liệu { $id }: { $error }
keys-check_failed_total = { $count } khoá dữ liệu KHÔNG mở được (xem ở trên).
purge-retention = Thời hạn lưu trữ: không có cơ sở { $unfounded } ngày, trùng lặp { $duplicate } ngày, đã xử lý (an toàn, công an, chuyển đơn vị) { $handled } ngày.
purge-drafts = Đã huỷ { $count } bản nháp bỏ dở (không có thay đổi trong { $days } ngày), kể cả ảnh và ghi âm kèm theo.
purge-drafts_would = { $count } bản nháp bỏ dở (không có thay đổi trong { $days } ngày) sẽ bị huỷ (chạy thử).
purge-nothing = Không có vụ việc đã đóng nào quá thời hạn lưu trữ.
purge-would_shred = { $count } vụ việc đã đóng quá thời hạn lưu trữ và sẽ bị huỷ (chạy thử, chưa thay đổi gì):
purge-shredding = Huỷ { $count } vụ việc đã đóng quá thời hạn lưu trữ:
purge-line = { $code } — { $outcome } — đóng ngày { $date }
purge-no_outcome = không rõ kết quả
purge-done = Đã huỷ { $count } vụ việc. Số liệu thống kê giữ nguyên.

## Web console (officers)
web-title = Bảo vệ trẻ em — cán bộ
web-nav-queue = Tin báo
web-nav-roster = Lịch trực
web-nav-stats = Thống kê
web-nav-sessions = Phiên đăng nhập
web-switch_language = English
web-sign_out = Đăng xuất
web-back_to_queue = Về danh sách tin báo
web-not_set_up = Trang web cho cán bộ chưa được cài đặt (thiếu WEB_BASE_URL). Bạn báo quản trị viên.
web-link = Đường dẫn đăng nhập trang web cán bộ (chỉ dùng được một lần, trong { $minutes } phút, chỉ cho bạn):
    { $link }
    Đừng chuyển tiếp tin này cho người khác.
web-signin_intro = Bạn đang đăng nhập trang web của cán bộ bảo vệ trẻ em.
web-signin_button = Đăng nhập
web-signin_hint = Đường dẫn chỉ dùng được một lần. Nếu đã hết hạn, bạn nhắn /web cho bot trong tin nhắn riêng để lấy đường dẫn mới.
web-sign_in_needed = Bạn cần đăng nhập. Nhắn /web cho bot trong tin nhắn riêng (Telegram hoặc Zalo) để nhận đường dẫn đăng nhập.
web-signed_out = Phiên đăng nhập đã hết. Bạn nhắn /web cho bot để đăng nhập lại.
web-signed_out_done = Bạn đã đăng xuất.
web-link_refused = Đường dẫn này đã được dùng hoặc đã hết hạn. Bạn nhắn /web cho bot để lấy đường dẫn mới.
web-too_many = Có quá nhiều lần thử sai. Bạn chờ 15 phút rồi thử lại.
web-csrf_refused = Yêu cầu bị từ chối vì không đến từ trang của bạn. Bạn tải lại trang rồi làm lại.
webchat-quick_exit = Thoát nhanh
webchat-answer = Câu trả lời của bạn
webchat-photo = Chọn ảnh (không bắt buộc) rồi bấm «Gửi»
webchat-send = Gửi
webchat-follow_up = Xem lại tin báo đã gửi (cần mã và mật mã)
webchat-call = Cần giúp ngay? Gọi 111 (miễn phí, 24/7) · 113 công an · 115 cấp cứu
webchat-privacy = Không cần tài khoản. Trang không lưu gì trên máy này; bấm «Thoát nhanh» để rời đi ngay.
webchat-stale = Trang vừa rồi đã cũ nên câu trả lời chưa được gửi. Những gì bạn đã trả lời trước đó vẫn còn nguyên. Bạn trả lời lại câu hỏi bên dưới nhé.
webchat-too_long = Câu trả lời quá dài nên chưa được gửi. Những gì bạn đã trả lời trước đó vẫn còn nguyên. Bạn viết ngắn lại rồi gửi lại nhé.
webchat-expired = Cuộc trò chuyện trước đã kết thúc vì để lâu không trả lời. Bạn bắt đầu lại từ đây nhé.
webchat-receipt_note = Hãy chép lại mã tin báo và mật mã (hoặc viết ra giấy): khi rời trang này, chúng không còn hiện ở đây nữa. Với mã và mật mã, bạn bấm «Xem lại tin báo đã gửi» từ bất kỳ trình duyệt nào để đọc câu hỏi của cán bộ và trả lời. Trong lúc trang này còn mở, câu hỏi của cán bộ cũng hiện ngay tại đây khi bạn tải lại trang.
web-not_found = Không tìm thấy, hoặc bạn không có quyền xem mục này.
web-purged = Nội dung tin báo này đã được xoá vĩnh viễn khi hết thời hạn lưu trữ.
web-totp_enter = Nhập mã 6 số từ ứng dụng xác thực của bạn.
web-totp_enrol = Bật xác thực hai bước: thêm khoá dưới đây vào ứng dụng xác thực (Google Authenticator, Microsoft Authenticator…), rồi nhập mã 6 số nó hiện ra.
web-totp_code = Mã 6 số
web-totp_submit = Xác nhận
web-totp_wrong = Mã không đúng hoặc đã được dùng. Bạn thử mã mới.
web-totp_ok = Đã xác thực.
web-totp_link = Xác thực hai bước
web-sessions_title = Các phiên đăng nhập của bạn
web-session_line = Bắt đầu { $started }, hết hạn { $ends }
web-session_this = (phiên này)
web-session_end = Kết thúc phiên
web-session_ended = Đã kết thúc phiên đó.
web-queue_title = Tin báo đang mở
web-queue_empty = Không có tin báo nào đang mở.
web-sound_option = Rung/kêu khi có tin báo mới
web-urgent = Khẩn cấp
web-no_owner = Chưa ai nhận
web-report = Nội dung tin báo
web-messages = Trao đổi và ghi chú
web-show_report = Xem nội dung tin báo
web-show_report_hint = Mỗi lần xem nội dung đều được ghi lại trong nhật ký.
web-export = Tải biên bản tiếp nhận (PDF, mẫu 01)
web-photo = Ảnh { $number }
web-hint-note = Chỉ cán bộ đọc được.
web-hint-ask = Gửi đến người báo tin, không kèm tên bạn.
web-hint-transfer = Mã đơn vị nhận (ví dụ 00070 cho phường, 01 cho tỉnh).
web-hint-dup = Mã tin báo trùng (ví dụ TE-7K3MQ).
web-cli_needs_settings = Trang web cán bộ cần WEB_BASE_URL và WEB_PORT (xem .env.example).
web-admin_no_cases = Quản trị viên cấu hình hệ thống và không xem tin báo. Bạn dùng trang Lịch trực và Thống kê.
serve-needs_webhook = `python -m bot serve` cần TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_URL (địa chỉ https://…) và TELEGRAM_WEBHOOK_SECRET (1–256 ký tự: chữ không dấu, số, _ và -)

## abuse of the channel: limits, floods, duplicates
abuse-slow_down = Bạn đang gửi tin nhắn hơi nhanh nên mình tạm dừng một chút. Xin chờ một lát rồi viết tiếp; những gì bạn đã trả lời vẫn được giữ nguyên. Nếu có trẻ em đang gặp nguy hiểm, hãy gọi ngay 111 (Tổng đài quốc gia bảo vệ trẻ em, miễn phí, 24/7) hoặc 113.
abuse-reports_per_day = Cảm ơn bạn đã quan tâm đến các em nhỏ. Để cán bộ kịp xử lý từng tin, mỗi người gửi được tối đa { $count } tin báo trong 24 giờ, và bạn đã gửi đủ số đó. Tin báo này vẫn được giữ ở đây, bạn có thể gửi lại sau. Nếu cần báo ngay, hãy gọi 111 (miễn phí, 24/7); nếu có trẻ em đang gặp nguy hiểm, hãy gọi 113.
abuse-flood_admin = ⚠️ Cảnh báo gửi tin hàng loạt: { $count } tin báo từ các tài khoản chưa từng gửi tin trong { $minutes } phút qua. Đến { $until }, mỗi nhóm trực chỉ nhận một thẻ thông báo kèm số lượng thay vì một thẻ cho từng tin không khẩn cấp từ tài khoản mới. Mọi tin báo vẫn được lưu và có trong /cases; tin khẩn cấp vẫn được báo ngay.
abuse-flood_notice = ⚠️ Đang có nhiều tin báo cùng lúc từ các tài khoản mới. Đến { $until }, tin báo không khẩn cấp từ tài khoản mới không có thẻ riêng trong nhóm: xin xem và xử lý trong /cases. Tin khẩn cấp vẫn được báo ngay như thường. Số tin không có thẻ riêng: { $held }.
abuse-duplicate_linked = 🔗 Người báo tin { $first } vừa gửi thêm một tin báo về cùng xã/phường và cùng một bạn nhỏ (cùng loại việc, độ tuổi, giới tính): { $code }. Tin này được liên kết với { $first } và không báo lại vào nhóm trực; xin xem tin mới.
abuse-duplicate_alerted = 🔗 Người báo tin { $first } vừa gửi thêm một tin báo về cùng xã/phường và cùng một bạn nhỏ: { $code }. Tin này nghiêm trọng hơn (khẩn cấp hoặc có dấu hiệu tội phạm) nên đã được báo vào nhóm trực như một tin mới.
abuse-duplicate_unheard = 🔗 Người báo tin { $first } vừa gửi thêm một tin báo về cùng xã/phường và cùng một bạn nhỏ: { $code }. Tin { $first } chưa có cán bộ nhận hay cán bộ trực để báo riêng, nên tin mới đã được báo vào nhóm trực như một tin mới.

## outbound: digest cards and administrators' notices about broken chats
outbound-resent = 🔁 Gửi lại sau khi hệ thống khởi động lại — nếu nhóm đã thấy thẻ này, đây là cùng một tin báo.
outbound-digest_title = 📋 { $count } tin báo mới — gộp chung một tin vì nhóm đã chạm giới hạn gửi tin của Telegram
outbound-digest_urgent = 🔴 { $code } · KHẨN CẤP · { $category }
outbound-digest_normal = 🟡 { $code } · { $category }
outbound-digest_taken = ✅ { $name } đã nhận
outbound-digest_hint = Bấm "Nhận" để nhận xử lý một tin, "Xem" để đọc chi tiết trong chat riêng.
outbound-digest_take = Nhận { $code }
outbound-digest_view = Xem { $code }
outbound-notice_removed = ⚠️ Bot không gửi được tin vào nhóm trực của { $unit }: bot đã bị xoá khỏi nhóm hoặc nhóm không còn. Tin báo mới của đơn vị đang được chuyển lên nhóm cấp trên và được báo tiếp ngay theo chuỗi nhắc. Hãy thêm lại bot vào nhóm, hoặc sửa telegram_chat_id của đơn vị trong tệp triển khai.
outbound-notice_not_found = ⚠️ Bot không tìm thấy nhóm trực của { $unit } trên Telegram (mã nhóm sai hoặc nhóm đã bị xoá). Tin báo mới của đơn vị đang được chuyển lên nhóm cấp trên và được báo tiếp ngay theo chuỗi nhắc. Hãy sửa telegram_chat_id của đơn vị trong tệp triển khai.
outbound-notice_blocked = ⚠️ Bot không nhắn riêng được cho cán bộ { $officer } ({ $unit }): cán bộ chưa bấm "Bắt đầu" (Start) với bot, hoặc đã chặn bot. Hãy nhắc cán bộ mở chat riêng với bot và bấm "Bắt đầu".
outbound-notice_moved = ℹ️ Nhóm trực của { $unit } đã được Telegram nâng cấp thành siêu nhóm, với mã mới { $chat }. Bot đã chuyển sang nhóm mới. Hãy sửa telegram_chat_id của đơn vị thành { $chat } trong tệp triển khai.
web-alert_link = 🔗 Mở tin báo trên trang web cán bộ: { $link }

## fault (faults and odd input)
fault-edit_not_read = Mình không đọc lại tin nhắn đã sửa. Nếu bạn muốn sửa hay bổ sung điều gì, hãy gửi một tin nhắn mới.

## Web console: roster and statistics pages
web-roster-title = Lịch trực
web-roster-none = Đơn vị của bạn (và các đơn vị trực thuộc) chưa có lịch trực. Quản trị viên khai báo lịch trực ([[rosters]]) trong tệp triển khai.
web-roster-now = Đang trực: { $officer } (dự phòng: { $backup }), đến { $until }
web-roster-next = Ca tiếp theo: { $officer } (dự phòng: { $backup }), từ { $start }
web-roster-no_gaps = Không có khoảng trống trong { $days } ngày tới.
web-roster-shifts = Các ca trong { $days } ngày tới
web-roster-col-from = Từ
web-roster-col-until = Đến
web-roster-col-officer = Cán bộ trực
web-roster-col-backup = Dự phòng
web-roster-rule = Mỗi ca { $days } ngày, giao ca lúc { $handoff } (giờ Việt Nam).
web-roster-entries = Nghỉ và trực thay sắp tới
web-roster-entry = { $officer }: { $kind } từ { $start } đến { $end }
web-roster-from_file = (theo tệp triển khai)
web-roster-from_cli = (thêm bằng dòng lệnh)
web-roster-from_web = (thêm trên trang web)
web-roster-add_title = Thêm nghỉ hoặc trực thay
web-roster-kind = Loại
web-roster-kind_leave = Nghỉ (người kế tiếp trong danh sách trực thay)
web-roster-kind_cover = Trực thay (cán bộ được chọn trực trong thời gian này)
web-roster-officer = Cán bộ
web-roster-nobody_option = Không ai trực (khoảng trống)
web-roster-add_hint = Ngày giờ theo giờ Việt Nam. Nghỉ và trực thay thêm ở đây được giữ lại khi bot khởi động lại.
web-roster-add = Thêm
web-roster-rotation_title = Thứ tự trực
web-roster-rotation_hint = Đánh số thứ tự trực (1, 2, 3…) cho từng cán bộ; để trống nếu cán bộ không tham gia trực. Cán bộ số 1 nhận ca bắt đầu vào giờ giao ca của ngày bắt đầu.
web-roster-period_days = Số ngày mỗi ca
web-roster-handoff = Giờ giao ca
web-roster-start = Ngày bắt đầu
web-roster-file_wins = Lưu ý: thứ tự trực, số ngày mỗi ca, giờ giao ca và ngày bắt đầu được đọc lại từ tệp triển khai mỗi khi bot khởi động lại. Thay đổi ở đây có hiệu lực ngay, nhưng sẽ bị thay bằng nội dung tệp ở lần khởi động sau, trừ khi quản trị viên sửa cả tệp.
web-roster-save_rotation = Lưu thứ tự trực
web-roster-rotation_saved = Đã lưu thứ tự trực: { $officers }. Nhớ báo quản trị viên sửa cả tệp triển khai.
web-roster-not_allowed = Chỉ cán bộ giám sát và quản trị viên mới sửa được lịch trực. Bạn vẫn xem được lịch trực.
web-roster-bad_time = "{ $text }" không phải ngày giờ hợp lệ. Bạn nhập theo dạng 2026-12-01 07:30.
web-roster-bad_kind = Bạn chọn loại: nghỉ hoặc trực thay.
web-roster-ends_first = Thời điểm kết thúc phải sau thời điểm bắt đầu.
web-roster-past = Khoảng thời gian này đã qua. Bạn kiểm tra lại ngày.
web-roster-too_long = Khoảng thời gian dài hơn một năm. Bạn kiểm tra lại năm.
web-roster-not_in_unit = Cán bộ được chọn không thuộc đơn vị này.
web-roster-officer_needed = Nghỉ cần chọn một cán bộ.
web-roster-bad_position = Số thứ tự của { $officer } không hợp lệ: dùng số từ 1 đến số cán bộ của đơn vị.
web-roster-rotation_empty = Cần ít nhất một cán bộ trong thứ tự trực.
web-roster-same_position = Hai cán bộ không được cùng một số thứ tự.
web-roster-bad_period = Số ngày mỗi ca phải từ 1 đến { $most }.
web-roster-bad_handoff = Giờ giao ca không hợp lệ. Bạn nhập theo dạng 07:30.
web-roster-bad_start = Ngày bắt đầu không hợp lệ. Bạn nhập theo dạng 2026-11-02.
web-stats-title = Thống kê tin báo
web-stats-period = Kỳ báo cáo
web-stats-show = Xem
web-stats-period_hint = Ví dụ: 2026-Q3 (quý), 2026-H1 hoặc 2026-H2 (6 tháng), 2026-9M (9 tháng), 2026 (năm), 2026-07 (tháng).
web-stats-bad_period = "{ $period }" không phải kỳ báo cáo. Bạn chọn một kỳ trong danh sách hoặc nhập theo ví dụ bên trên.
web-stats-not_started = { $period } chưa bắt đầu nên chưa có số liệu. Bạn chọn một kỳ đã bắt đầu.
web-stats-refused_period = Kỳ báo cáo không hợp lệ hoặc chưa bắt đầu.
web-stats-download = Tải báo cáo (Excel)
web-stats-chart = Biểu đồ: { $title }

## Tìm hiểu và báo nội dung xâm hại trẻ em trên mạng (bài đọc: locales/learn.vi.toml)
menu-online = Báo nội dung xâm hại trẻ em trên mạng
menu-learn = 📖 Tìm hiểu
step-category-online_content = Nội dung xâm hại trẻ em trên mạng
step-online_link-prompt =
    Bạn gửi giúp mình đường link (địa chỉ trang) của nội dung đó, ví dụ https://…
    Xin đừng gửi ảnh hay video: chuyển tiếp hoặc lưu giữ những nội dung này cũng gây hại cho trẻ và là vi phạm pháp luật.
step-online_platform-prompt = Nội dung đó ở đâu?
step-online_platform-facebook = Facebook
step-online_platform-tiktok = TikTok
step-online_platform-youtube = YouTube
step-online_platform-zalo = Zalo
step-online_platform-telegram = Telegram
step-online_platform-website = Một trang web
step-online_platform-other = Nơi khác
step-online_danger-prompt = Bạn có biết em nhỏ trong nội dung đó đang gặp nguy hiểm không?
step-online_danger-yes = Có, em đang gặp nguy hiểm
step-online_danger-no = Không
step-online_danger-unknown = Không biết
online-not_a_link = Mình chưa thấy đường link trong tin của bạn. Bạn sao chép địa chỉ trang (bắt đầu bằng https:// hoặc www.) rồi dán vào đây.
online-no_images = Mình không nhận ảnh hay video ở đây: chuyển tiếp hoặc lưu giữ hình ảnh xâm hại trẻ em cũng gây hại cho trẻ và là vi phạm pháp luật. Bạn chỉ cần gửi đường link, rồi xoá ảnh khỏi máy.
online-no_files = Mình không nhận tệp ở đây: chuyển tiếp hoặc lưu giữ nội dung xâm hại trẻ em cũng gây hại cho trẻ và là vi phạm pháp luật. Bạn chỉ cần gửi đường link.
online-thanks = Xin đừng chia sẻ hay lưu nội dung đó. Nếu đã lưu, bạn hãy xoá đi. Đầu mối của tỉnh và cơ quan công an sẽ xử lý đường link bạn gửi.
online-notice =
    🔗 Tin báo nội dung xâm hại trẻ em trên mạng { $code }
    Nền tảng: { $platform }
    Đường link (đã vô hiệu hoá, không mở bằng trình duyệt thông thường): { $link }
    { $danger }
online-notice_danger = ⚠️ Người báo cho biết trẻ đang gặp nguy hiểm.
online-notice_no_danger = Người báo không cho biết trẻ đang gặp nguy hiểm.
officer-details_online_link = Đường link (đã vô hiệu hoá): { $link } · { $platform }
web-stats-learn_title = Bài «Tìm hiểu» đã được mở
web-stats-learn_piece = Bài
web-stats-learn_count = Số lần mở
web-stats-learn_none = Chưa có bài nào được mở trong kỳ này.
web-stats-online_reports = Tin báo nội dung xâm hại trẻ em trên mạng trong kỳ: { $count }

## Dòng lệnh (python -m bot): trợ giúp, mã thoát, lỗi cú pháp lệnh
cli-description = Bot tiếp nhận tin báo xâm hại trẻ em. Không ghi lệnh thì chạy bot (`run`); mỗi lệnh có trợ giúp riêng: python -m bot LỆNH --help
cli-command = lệnh cần chạy (mặc định: run)
cli-verbose = in cả các dòng thông tin của thư viện (alembic)
cli-commands = Các lệnh:
cli-exit_codes = Mã thoát:
cli-more = Tài liệu: docs/cli.md
cli-usage = cách dùng:
cli-positionals = tham số
cli-options = tuỳ chọn
cli-help_flag = in trợ giúp này rồi thoát
cli-bad_settings = lỗi cấu hình: giá trị không dùng được trong .env hoặc biến môi trường: { $names }. Không có gì bị thay đổi.
cli-error-required = thiếu tham số bắt buộc: { $names }
cli-error-unrecognized = tham số không nhận ra: { $names }
cli-error-choice = { $name }: { $value } không phải lựa chọn hợp lệ (chọn một trong: { $choices })
cli-error-expected_one = { $name } cần một giá trị
cli-error-invalid_value = { $name }: giá trị { $value } không hợp lệ
cli-error-not_allowed_with = { $name } không dùng cùng { $other }
cli-error-other = dòng lệnh không đúng; xem --help
cli-exit-ok = thành công
cli-exit-failed = lệnh đã chạy nhưng gặp sự cố (chuỗi nhật ký bị phá, khoá không mở được, sao lưu không thành)
cli-exit-usage = dòng lệnh sai; không làm gì cả
cli-exit-config = cấu hình thiếu hoặc sai (.env, khoá, tệp triển khai); không có gì bị thay đổi
cli-exit-not_found = không tìm thấy hồ sơ, đơn vị hay tên được hỏi
cli-exit-interrupted = bị dừng bằng Ctrl-C
cli-help-run = chạy bot (Telegram bằng long polling, Zalo; không có token thì chạy bản thử trong terminal)
cli-help-serve = chạy bot nhận Telegram qua webhook (nhiều tiến trình sau một reverse proxy)
cli-help-check-config = kiểm tra cấu hình, khoá và tệp triển khai trước khi chạy
cli-help-init = tạo .env (khoá mới) và tệp triển khai mẫu cho một tỉnh và các xã/phường
cli-help-units = tra mã đơn vị hành chính chính thức theo tên (có hoặc không dấu, cả tên trước 2025)
cli-help-roster = xem và sửa lịch trực (nghỉ, trực thay)
cli-help-audit = kiểm tra nhật ký truy cập, hoặc xem ai đã mở một hồ sơ
cli-help-keys = xoay khoá chủ, hoặc kiểm tra mọi khoá dữ liệu
cli-help-purge = xoá hồ sơ đã đóng quá thời hạn lưu giữ
cli-help-backup = sao lưu cơ sở dữ liệu và, riêng ra, kho khoá
cli-help-restore = khôi phục bản sao lưu và kiểm tra mọi khoá
cli-help-report = lập báo cáo định kỳ (xlsx, csv, pdf)
cli-help-export-case = xuất hồ sơ một vụ việc (pdf, docx) cho hồ sơ giấy
cli-help-poster = in áp phích có mã QR mở trò chuyện trên web
cli-help-web = chạy riêng trang quản lý cho cán bộ
admin-whole_file = cả tệp
admin-invalid_value = giá trị không hợp lệ (loại lỗi: { $type })
admin-deployment_not_found = { $file }: không tìm thấy tệp (đặt DEPLOYMENT_FILE)
admin-deployment_not_toml = { $file }: không phải TOML hợp lệ (dòng { $line }, cột { $column })
admin-deployment_problems = { $file }: { $count } lỗi
admin-bad_master_keys = lỗi cấu hình: MASTER_KEYS phải có dạng 1:<base64 của 32 byte>, mỗi phiên bản một lần, cách nhau bằng dấu phẩy. Không có gì bị thay đổi.
admin-unknown_key_version = khoá chủ phiên bản { $version } không có trong MASTER_KEYS
admin-contact_unreachable = liên hệ «{ $name }» cần telegram_chat_id hoặc zalo_user_id
admin-unit_not_official = «{ $code }» không phải mã tỉnh hay xã/phường chính thức (tra bằng: python -m bot units find TÊN)
admin-group_not_negative = mã nhóm trực là số âm (ví dụ -1001234567890)
admin-until_before_from = «until» phải sau «from»
admin-unit_twice = mã { $code } được khai báo hai lần
admin-not_a_unit = «{ $code }» không phải một đơn vị đã khai báo
admin-fallback_without_group = đơn vị «{ $code }» cần telegram_chat_id, nếu không tin báo chưa rõ nơi sẽ không đến ai
admin-user_twice = khai báo hai lần
admin-unknown_policy = «{ $policy }» không được khai báo trong [policies]
admin-roster_twice = đơn vị { $code } có hơn một lịch trực
admin-not_an_officer = «{ $name }» không phải cán bộ của đơn vị { $code }
admin-bad_due = «{ $value }» không phải hạn báo cáo: viết 10/03 (hằng năm), 05 (hằng tháng) hoặc 2026-12-10 (một ngày)
admin-custom_needs_days = báo cáo «custom» cần «from» và «until» (ngày đầu và ngày cuối của số liệu)
admin-days_only_for_custom = «from» và «until» chỉ dùng cho báo cáo «custom»
admin-day_only_for_month = hạn chỉ có ngày (như «05») chỉ dùng cho báo cáo hằng tháng (report = "month")
admin-custom_due_needs_year = hạn của báo cáo «custom» là một ngày cụ thể, như 2026-07-10 (không phải «{ $value }»)
admin-rotation_twice = một cán bộ có tên hai lần trong vòng trực
admin-steps_out_of_order = các bước phải có «after» tăng dần
admin-repeats_without_every = «repeats» cần «repeat_every»
admin-missing = thiếu mục bắt buộc
admin-extra_forbidden = mục không được biết (sai chính tả?)
admin-int_type = cần một số nguyên
admin-int_parsing = cần một số nguyên
admin-string_type = cần một chuỗi chữ (trong dấu ngoặc kép)
admin-string_too_short = quá ngắn (ít nhất { $min_length } ký tự)
admin-string_too_long = quá dài (nhiều nhất { $max_length } ký tự)
admin-greater_than = phải lớn hơn { $gt }
admin-greater_than_equal = phải từ { $ge } trở lên
admin-less_than_equal = phải nhiều nhất là { $le }
admin-list_type = cần một danh sách [ … ]
admin-dict_type = cần một bảng (mục)
admin-model_type = cần một bảng (mục)
admin-bool_type = cần true hoặc false
admin-enum = không phải giá trị được phép (xem deployment.example.toml)
admin-too_short = cần ít nhất { $min_length } mục
admin-time_type = cần một giờ như 07:30:00
admin-time_parsing = cần một giờ như 07:30:00
admin-date_type = cần một ngày như 2026-12-01
admin-date_parsing = cần một ngày như 2026-12-01
admin-datetime_type = cần ngày giờ như 2026-12-01T07:30:00
admin-datetime_parsing = cần ngày giờ như 2026-12-01T07:30:00
period-not_a_period = «{ $period }» không phải một kỳ báo cáo: viết 2026-Q3 (quý), 2026-H1 hoặc 2026-H2 (sáu tháng), 2026-9M (chín tháng), 2026 (năm) hoặc 2026-07 (tháng)
period-bad_year = «{ $period }»: năm phải từ 2000 đến 2100
report-unknown_format = định dạng «{ $format }» không có (dùng { $formats })
report-not_started = kỳ { $period } chưa bắt đầu
report-unknown_unit = đơn vị «{ $unit }» chưa có trong cơ sở dữ liệu (khai báo trong tệp triển khai, rồi khởi động bot một lần)
report-help = Báo cáo định kỳ một xã/phường hoặc tỉnh gửi lên cấp trên (bảng, biểu đồ).
report-help_period = kỳ: 2026-Q3, 2026-H1, 2026-9M, 2026 hoặc 2026-07
report-help_unit = mã đơn vị (mặc định: đơn vị dự phòng của tệp triển khai)
report-help_format = định dạng tệp (mặc định xlsx; docx với --due)
report-help_out = tệp hoặc thư mục ghi ra (mặc định: bao-cao-MÃ-TÊN-KỲ.ĐUÔI tại đây)
report-help_locale = ngôn ngữ của nhãn (mặc định: DEFAULT_LOCALE)
report-help_data_period = kỳ số liệu: 15-14 (từ ngày 15 tháng trước kỳ đến ngày 14 tháng cuối kỳ) hoặc calendar (theo tháng dương lịch); mặc định theo tệp triển khai
roster-help_action = show: xem lịch 14 ngày; leave: ghi nghỉ; cover: ghi trực thay
roster-help_unit = mã đơn vị (ví dụ 00070)
roster-help_officer = leave/cover: tên cán bộ như trong tệp triển khai
roster-help_from = leave/cover: giờ bắt đầu (giờ Việt Nam), ví dụ 2026-12-01T07:30
roster-help_until = leave/cover: giờ kết thúc
roster-usage_override = cách dùng: python -m bot roster leave|cover ĐƠNVỊ --officer TÊN --from 2026-12-01T07:30 --until 2026-12-02T07:30 (leave cần --officer)
roster-bad_moment = «{ $value }» không phải ngày giờ: --from và --until viết như 2026-12-01T07:30
roster-until_before_from = --until phải sau --from
roster-unknown_officer = «{ $officer }» không phải cán bộ đang hoạt động của đơn vị { $unit }
audit-help_action = verify: kiểm tra cả chuỗi; show: xem lịch sử truy cập một hồ sơ
audit-help_code = show: mã hồ sơ, ví dụ TE-AB234
audit-usage = cách dùng: python -m bot audit verify | python -m bot audit show TE-XXXXX
keys-help = Xoay khoá chủ (rotate: MASTER_KEYS có phiên bản mới cao nhất) hoặc kiểm tra mọi khoá dữ liệu (check). Không in khoá nào.
keys-help_action = rotate: bọc lại mọi khoá dữ liệu bằng khoá chủ mới nhất; check: kiểm tra mọi khoá
purge-help = Huỷ (crypto-shred) các hồ sơ đã đóng quá thời hạn lưu giữ; chạy hằng ngày. Số liệu thống kê giữ nguyên.
purge-help_dry_run = chỉ liệt kê hồ sơ sẽ bị huỷ; không thay đổi gì
record-help = Bản ghi hồ sơ theo mẫu 01 (pdf hoặc docx) cho hồ sơ giấy của xã/phường; việc xuất được ghi nhật ký.
record-help_code = mã hồ sơ, ví dụ TE-7K3MQ
record-help_format = định dạng (mặc định pdf)
record-help_out = tệp ghi ra (mặc định: <mã>.<định dạng> tại đây)
poster-help_locale = ngôn ngữ của áp phích (mặc định vi)
units-help = Tra mã đơn vị hành chính chính thức (sau sáp nhập ngày 1/7/2025) theo tên, có hoặc không dấu, kể cả tên xã/phường trước 2025.
units-help_find = tìm theo tên (ví dụ: ben nghe, "hoàn kiếm", "phường 1 quận 3")
units-help_show = xem một mã: tên, tỉnh, và các đơn vị cũ đã nhập vào
units-help_name = tên xã/phường hoặc tỉnh, có thể kèm tỉnh hay quận cũ
units-help_limit = số kết quả nhiều nhất (mặc định 10)
units-help_code = mã tỉnh (2 chữ số) hoặc xã/phường (5 chữ số)
units-place = { $code }  { $name } — { $province }
units-province = tỉnh/thành { $code }  { $name }
units-today = Đơn vị hiện nay:
units-before_2025 = Tên trước 2025 và đơn vị hiện nay:
units-former = { $name } ({ $district }, { $province }, trước 2025)
units-formed_from = Gồm các đơn vị cũ (trước 2025):
units-none = Không tìm thấy đơn vị nào tên «{ $query }».
units-not_a_code = «{ $code }» không phải mã đơn vị (2 hoặc 5 chữ số); muốn tìm theo tên thì dùng: python -m bot units find TÊN
units-unknown_code = Không có đơn vị nào mang mã { $code }.
init-help = Tạo .env với khoá chủ, pepper và mã bí mật webhook mới (quyền 0600) và tệp triển khai mẫu cho một tỉnh và các xã/phường, mỗi đơn vị có lịch trực và người được báo ở mọi bước. Không bao giờ thay khoá hay tệp triển khai đã có.
init-help_province = tỉnh/thành phố: tên (có hoặc không dấu) hoặc mã 2 chữ số
init-help_commune = xã/phường: tên (kể cả tên trước 2025) hoặc mã 5 chữ số; lặp lại hoặc cách nhau bằng dấu phẩy
init-help_env = tệp .env ghi ra (mặc định .env)
init-help_deployment = tệp triển khai ghi ra (mặc định deployment.toml)
init-help_start = ngày bắt đầu lịch trực (mặc định hôm nay)
init-ask_province = Tỉnh/thành phố (tên hoặc mã):
init-ask_communes = Các xã/phường (tên hoặc mã, cách nhau bằng dấu phẩy):
init-needs_province = cần --province (và --commune) khi không chạy trong terminal: python -m bot init --province "Hà Nội" --commune "Hoàn Kiếm"
init-unknown_province = Không tìm thấy tỉnh/thành phố «{ $province }» (tra bằng: python -m bot units find TÊN).
init-unknown_commune = Không tìm thấy xã/phường «{ $commune }» trong tỉnh này (tra bằng: python -m bot units find TÊN).
init-env_header = Cấu hình của bot (xem .env.example). Chứa khoá bí mật: chỉ chủ sở hữu được đọc (0600), không đưa vào git, sao lưu riêng.
init-env_written = { $file }: khoá mới { $made }; giữ nguyên { $kept } (quyền 0600)
init-deployment_written = { $file }: { $province } và { $communes } xã/phường
init-deployment_kept = { $file } đã có: giữ nguyên, không ghi đè
init-next = Tiếp theo: thay các mã nhóm và mã người dùng có ghi THAY trong tệp triển khai, đặt TELEGRAM_BOT_TOKEN hoặc ZALO_BOT_TOKEN trong .env, rồi chạy: python -m bot check-config
init-replace = THAY
init-group_id = mã nhóm trực Telegram (số âm)
init-user_id = mã người dùng Telegram của cán bộ
init-national = Tổng đài 111
init-province_unit = Sở Y tế { $name } — bảo vệ, chăm sóc trẻ em
init-commune_unit = UBND { $lower }
init-officer = Cán bộ trực { $n } ({ $unit })
init-leader = Lãnh đạo UBND ({ $unit })
init-toml_header = Tệp triển khai mẫu do `python -m bot init` tạo. Thay tên và các mã có ghi THAY bằng của người thật.
init-toml_units = Mỗi đơn vị có nhóm trực, lịch trực hai cán bộ và (xã/phường) một lãnh đạo: mọi bước báo khẩn đều đến được ai đó.
init-policy_comment = Tỉnh không có cấp trên: sau cán bộ trực là tổng đài quốc gia.
keys-reason_damaged = không mở được (dữ liệu khoá bị hỏng hoặc không đúng khoá chủ)
keys-reason_keystore_required = khoá này cần kho khoá (KEY_STORE_DIR) mà lệnh không mở được
keys-reason_keystore_unreadable = không đọc được kho khoá
cli-os-denied = không có quyền ghi hoặc đọc { $path }
cli-os-missing = không có { $path }
cli-os-no_space = hết chỗ trên đĩa khi ghi { $path }
cli-os-exists = { $path } đã có
cli-os-read_only = { $path } nằm trên ổ chỉ đọc
cli-os-other = lỗi hệ thống tệp ({ $code }) với { $path }
cli-failed = không làm được: { $error }
admin-telegram_proxy = Telegram đi qua proxy { $proxy } (TELEGRAM_PROXY)

## watchdog: the bot tells the administrators when it is itself unwell (docs/monitoring.md)
watchdog-subject = [Bot bảo vệ trẻ em] Cần kiểm tra hệ thống
watchdog-outbox = ⚠️ Tin nhắn đi bị kẹt: có tin đáng lẽ đã gửi từ { $minutes } phút trước mà chưa gửi được. Thẻ báo tin có thể chưa đến cán bộ trực. Hãy kiểm tra tiến trình bot và kết nối mạng.
watchdog-timers = ⚠️ Bộ hẹn giờ bị chậm: một bước nhắc việc hoặc chuyển cấp đã trễ { $minutes } phút. Hãy kiểm tra tiến trình bot.
watchdog-channel = ⚠️ Không liên lạc được với { $channel } từ { $minutes } phút nay. Người dân và cán bộ có thể không nhận được tin nhắn qua kênh này.
watchdog-footer = Tin này do bot tự gửi, tối đa một lần mỗi { $every } phút cho mỗi sự cố. Chi tiết: /readyz và /metrics.

## Assessment results and the same child (issue 18)
desk-assess = Ghi kết quả đánh giá
desk-samechild = Cùng một trẻ với tin báo khác
desk-prompt-samechild = Bạn gõ mã tin báo về cùng trẻ này (ví dụ TE-7K3MQ): trẻ chỉ được đếm một lần. Gõ /huy để thôi.
assess-prompt = Kết quả đánh giá { $code }: chọn một nút, hoặc gõ đầy đủ «co <số trẻ> <nhóm>» (nhóm hoàn cảnh đặc biệt theo Điều 10 Luật Trẻ em, số 1–14, mỗi trẻ một số; ví dụ «co 2 4» là 2 trẻ, 1 trẻ khuyết tật), hoặc «khong» nếu không có xâm hại. Gõ /huy để thôi.
assess-choice-confirmed = Có xâm hại: { $children } trẻ
assess-choice-unfounded = Không có xâm hại
assess-bad = Chưa hiểu kết quả. Gõ ví dụ «co 1», «co 2 4 9» hoặc «khong».
assess-recorded = Đã ghi kết quả đánh giá { $code }: có xâm hại.
assess-recorded_unfounded = Đã ghi kết quả đánh giá { $code }: không có xâm hại.
assess-same_child_linked = Đã ghi: { $code } là cùng một trẻ với tin báo kia.
web-hint-samechild = Mã tin báo về cùng trẻ (ví dụ TE-7K3MQ).
web-hint-assess = Kết quả đánh giá ban đầu (cán bộ ghi, không hỏi người báo).
web-assess-finding = Kết quả
web-assess-children = Số trẻ em liên quan
web-assess-special = Trẻ em có hoàn cảnh đặc biệt (Điều 10 Luật Trẻ em), mỗi trẻ một nhóm
event-assessment_recorded = Ghi kết quả đánh giá
event-same_child_linked = Đánh dấu cùng một trẻ với tin báo khác
timeline-same_child = Cùng một trẻ với tin báo { $code }
timeline-assessment = Kết quả đánh giá: { $finding }
finding-confirmed = Có xâm hại
finding-unfounded = Không có xâm hại
special-1 = Trẻ em mồ côi cả cha và mẹ
special-2 = Trẻ em bị bỏ rơi
special-3 = Trẻ em không nơi nương tựa
special-4 = Trẻ em khuyết tật
special-5 = Trẻ em nhiễm HIV/AIDS
special-6 = Trẻ em vi phạm pháp luật
special-7 = Trẻ em nghiện ma túy
special-8 = Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở
special-9 = Trẻ em bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực
special-10 = Trẻ em bị bóc lột
special-11 = Trẻ em bị xâm hại tình dục
special-12 = Trẻ em bị mua bán
special-13 = Trẻ em mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày thuộc hộ nghèo, hộ cận nghèo
special-14 = Trẻ em di cư, lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc
form-violence = Bạo lực trẻ em
form-exploitation = Bóc lột trẻ em
form-sexual = Xâm hại tình dục trẻ em
form-trafficking = Mua bán trẻ em
form-abandonment = Bỏ rơi trẻ em
form-neglect = Bỏ mặc trẻ em
form-other = Hình thức gây tổn hại khác
form-unclassified = Chưa xác định hình thức
report-table-summary = Số liệu tổng hợp, so sánh cùng kỳ năm trước và lũy kế từ đầu năm
report-table-forms = Số vụ và số trẻ em bị xâm hại theo hình thức xâm hại (Điều 4 Luật Trẻ em; chỉ tiêu 0101)
report-table-special = Trẻ em có hoàn cảnh đặc biệt trong các vụ việc (Điều 10 Luật Trẻ em; cán bộ ghi khi đánh giá)
report-sheet-summary = Tổng hợp
report-sheet-forms = Chỉ tiêu 0101
report-sheet-special = Hoàn cảnh đặc biệt
report-col-confirmed = Số vụ xác nhận có xâm hại
report-col-children_abused = Số trẻ em bị xâm hại
report-col-children = Số trẻ em
report-col-group = Nhóm trẻ em có hoàn cảnh đặc biệt
report-col-category = Loại tin báo
report-col-this_period = Kỳ này
report-col-last_year = Cùng kỳ năm trước
report-col-year_to_date = Lũy kế từ đầu năm
report-ind-duplicates = Tin báo trùng đã liên kết (không tính vào các chỉ số)
report-sum-cases = Số vụ việc nhận được (không tính tin báo trùng)
report-sum-children = Số trẻ em liên quan
report-sum-confirmed = Số vụ xác nhận có xâm hại
report-sum-children_abused = Số trẻ em bị xâm hại (chỉ tiêu 0101)
report-sum-unfounded = Số vụ không có cơ sở
report-sum-awaiting = Số vụ chưa có kết quả đánh giá
report-sum-duplicates = Tin báo trùng (không tính)
report-sum-assessed_share = Tỉ lệ đánh giá ban đầu trong hạn (%)
report-period-year_to_date = Từ đầu năm { $year }
doc-place_date = { $place }, ngày { $day } tháng { $month } năm { $year }
doc-number = Số:        /BC-
doc-motto1 = CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
doc-motto2 = Độc lập - Tự do - Hạnh phúc
doc-kind = BÁO CÁO
doc-title = Kết quả tiếp nhận, xử lý tin báo về xâm hại trẻ em { $period }
doc-dates = (Số liệu từ { $dates })
doc-section-results = I. KẾT QUẢ TIẾP NHẬN, XỬ LÝ TIN BÁO
doc-section-difficulties = II. KHÓ KHĂN, VƯỚNG MẮC
doc-section-recommendations = III. ĐỀ XUẤT, KIẾN NGHỊ
doc-to_fill = (Đơn vị bổ sung nội dung.)
doc-recipients = Nơi nhận:
doc-to_above = - { $unit };
doc-to_board = - Lãnh đạo đơn vị;
doc-to_archive = - Lưu: VT.
doc-signer_title = QUYỀN HẠN, CHỨC VỤ NGƯỜI KÝ
doc-signature = (Chữ ký, dấu)
doc-signer_name = Họ và tên
doc-see_annex = Số liệu chi tiết tại Phụ lục kèm theo.
doc-annex = PHỤ LỤC: SỐ LIỆU CHI TIẾT
doc-annex_of = (Kèm theo Báo cáo { $period }; số liệu từ { $dates })
web-stats-written_title = Phần viết của báo cáo { $period }
web-stats-section_results = Kết quả
web-stats-section_difficulties = Khó khăn, vướng mắc
web-stats-section_recommendations = Kiến nghị, đề xuất
web-stats-save_texts = Lưu phần viết
web-stats-written_hint = Mỗi dòng là một đoạn văn trong văn bản DOCX và PDF, ngay dưới mục của nó. Không ghi tên, địa chỉ của trẻ em hay người báo tin.
web-stats-section_empty = (Chưa viết.)
web-stats-texts_saved = Đã lưu phần viết của báo cáo { $period }. Văn bản DOCX và PDF tải từ bây giờ có nội dung này.
web-stats-texts_not_allowed = Chỉ cán bộ cấp tỉnh (supervisor) hoặc quản trị của đơn vị mới viết được phần này của báo cáo.
web-stats-texts_too_long = Mỗi phần viết tối đa 8000 ký tự. Bạn rút gọn rồi lưu lại nhé.
web-stats-download_docx = Tải văn bản báo cáo (DOCX, sửa được)
web-stats-download_pdf = Tải văn bản báo cáo (PDF)

## collaborators (cộng tác viên): their reports, their own list, home visits
admin-collaborator_unreachable = cộng tác viên «{ $name }» cần telegram_user_id hoặc zalo_user_id (để cán bộ nhờ thăm nhà)
admin-not_a_commune = «{ $code }» là mã tỉnh/thành phố; cộng tác viên thuộc một xã/phường (mã 5 chữ số)
collab-report_start = Bạn là cộng tác viên của { $village }, { $commune }: tin báo sẽ gửi thẳng tới cán bộ xã/phường của bạn, không cần chọn nơi. Nếu việc xảy ra ở nơi khác, xin ghi rõ ở câu hỏi địa chỉ.
collab-follow_hint = Là cộng tác viên, bạn xem tình trạng các tin mình đã báo bất cứ lúc nào bằng lệnh /cuatoi (không cần mã và mật mã).
collab-not_collaborator = Lệnh này dành cho cộng tác viên đã được xã/phường đăng ký. Để theo dõi một tin báo, gõ /tracuu rồi nhập mã tin báo và mật mã.
collab-no_reports = Bạn chưa gửi tin báo nào từ tài khoản này.
collab-reports_title = Tin báo bạn đã gửi ({ $count } tin gần nhất):
collab-report_line = • { $code } — { $at } — { $category }: { $status }
alert-from_collaborator = 🤝 Nguồn tin: cộng tác viên
report-reporter-collaborator = Cộng tác viên
desk-visit = 🏠 Nhờ cộng tác viên thăm nhà
desk-choose-visit = Nhờ cộng tác viên nào đến thăm nhà cho { $code }? Tin nhắn riêng chỉ có các thông tin của vụ việc, không có lời kể của người báo tin.
visit-option = { $name } — { $village }
visit-with_address = { $who } (kèm địa chỉ)
visit-nobody = Xã/phường này chưa đăng ký cộng tác viên nào.
visit-not_here = Chỉ cán bộ của xã/phường đang giữ vụ việc mới nhờ cộng tác viên thăm nhà, và khi vụ việc chưa kết thúc.
visit-unreachable = Không nhắn được cho { $name }: chưa có tài khoản Telegram hoặc Zalo được khai báo.
visit-sent = Đã nhờ { $name } thăm nhà cho { $code }.
visit-title = 🏠 Đề nghị thăm nhà — vụ việc { $code }
visit-address = Địa chỉ: { $value }
visit-footer = Cán bộ bảo vệ trẻ em của xã/phường nhờ bạn đến thăm gia đình, xem tình hình của trẻ và báo lại cho cán bộ. Xin giữ kín thông tin này, không kể với người khác.
timeline-visit = Nhờ cộng tác viên { $name } thăm nhà
web-hint-visit = Gửi tin nhắn riêng cho cộng tác viên: mã vụ việc, loại sự việc, mức độ, tuổi, giới tính và xã/phường; không có lời kể của người báo tin.
web-visit-address = Kèm địa chỉ người báo tin đã ghi
web-source = Nguồn tin: { $source }
