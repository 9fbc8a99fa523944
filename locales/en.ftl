## English, complete: the same keys as vi.ftl.


## menu
menu-welcome =
    Hello. You do not need to give your name.

    What would you like to do?
menu-report = Report about a child
menu-language = Tiếng Việt
menu-in_progress = You have a report in progress. Answer the question below, or choose “Cancel” to stop.

## nav
nav-back = « Back
nav-cancel = Cancel
nav-skip = Skip
nav-done = Done
nav-cancelled = Cancelled. What you entered has been deleted.
nav-nothing_to_go_back = This is the first question.

## step.relation
step-relation-prompt = Who are you to the child?
step-relation-relative = Relative
step-relation-neighbour = Neighbour
step-relation-teacher = Teacher
step-relation-friend = Friend
step-relation-other = Other

## step.category
step-category-prompt = What is happening to the child?
step-category-physical = Physical violence
step-category-sexual = Sexual abuse
step-category-neglect = Neglect or abandonment
step-category-exploitation = Exploitation, child labour
step-category-trafficking = Trafficking, abduction
step-category-online = Online abuse
step-category-bullying = Bullying at school
step-category-other = Other

## step.age_band
step-age_band-prompt = About how old is the child?
step-age_band-0-5 = 0–5 years
step-age_band-6-10 = 6–10 years
step-age_band-11-15 = 11–15 years
step-age_band-16-17 = 16–17 years
step-age_band-unknown = Don't know

## step.sex
step-sex-prompt = Is the child a girl or a boy?
step-sex-girl = Girl
step-sex-boy = Boy
step-sex-unknown = Don't know

## step.danger
step-danger-prompt = Is the child in danger right now?
step-danger-yes = Yes, in danger now
step-danger-no = No
step-danger-told =
    Call 113 (police) or 111 (national child-protection hotline, free, 24/7) now; ambulance: 115.
    The report has gone to the child-protection officers at once, as urgent. You can go on answering to add to it.
step-danger-urgent_now = If the child is in danger, call 113 (police) or 111 (national child-protection hotline, free, 24/7) now. You can still continue the report here.

## step.setting (optional: where it happened, for the report's "where" table)
step-setting-prompt = Where did this happen? If you are not sure, choose "Skip".
step-setting-home = At home
step-setting-school = At school
step-setting-online = Online
step-setting-public = In a public place
step-setting-other = Somewhere else

## step.place
step-place-prompt = In which commune or ward did this happen? Type its name (accents optional, e.g. hoan kiem), or share a location (📎 → Location).
step-place-prompt_zalo = Where did this happen? Type the commune or ward name (accents optional, e.g. hoan kiem).
step-place-after_pin = Location received. To send this to the right office, also type the commune/ward name, or choose “Don't know”.
step-place-unknown = Don't know
step-place-no_match = No commune or ward called “{ $query }” was found. Many communes and wards were merged and renamed on 1 July 2025; old and new names both work. Type the name again (e.g. Hoàn Kiếm, Hà Nội), or choose “Don't know”.
place-renamed_intro = On 1 July 2025 many communes and wards were merged and renamed:
place-renamed = • { $old } (former) is now { $new }.
place-renamed_split = • { $old } (former) is now part of one of: { $new }. Choose the right one below.

## step.place_confirm
step-place_confirm-prompt = Is it one of these?
step-place_confirm-retype = None of these, type again

## step.address
step-address-prompt = Would you like to add a more precise address (village, group, house number, school…)? Optional.

## step.description
step-description-prompt = Briefly describe what happened, when, and who is involved. Optional — you can choose “Skip”.
step-description-too_long = Your text has { $length } characters, more than the limit of { $limit }. Please shorten it and send it again.

## step.photos
step-photos-prompt = If you have photos as evidence, you can send them (up to { $limit }). Choose “Done” when finished, or “Skip”.
step-photos-received = Photo received ({ $count }/{ $limit }). Send more or choose “Done”.
step-photos-limit_reached = You have sent { $limit } photos, the maximum. Choose “Done” to continue.
step-photos-too_big = This photo is too large (at most { $limit_mb } MB). Please send a smaller one.
step-photos-unreadable = This photo could not be read. Please send a JPEG or PNG photo.
step-photos-not_now = This step does not take photos. You can send photos at a later step.
step-photos-text_instead = At this step, send photos, or choose “Done” / “Skip”.

## step.contact
step-contact-prompt = May a child-protection officer message you in this chat if they have questions? Your identity stays confidential.
step-contact-yes = Yes, you may contact me
step-contact-no = No

## step.review
step-review-prompt = Please check your report:
step-review-submit = Submit report
step-review-relation = You are
step-review-category = What is happening
step-review-age_band = Age
step-review-sex = Sex
step-review-danger = In danger now
step-review-setting = Happened
step-review-place = Where
step-review-pin = Location shared
step-review-address = Address
step-review-description = Description
step-review-photos = Photos
step-review-contact = May contact you
step-review-unknown_place = Unknown
step-review-none = —
step-review-yes = Yes
step-review-no = No

## submitted
submitted-again = Your report was already sent. Here is your receipt again:
submitted-text =
    Thank you. Your report has been sent to the child-protection officers.

    Case code: { $code }
    Please write this code down.

    What happens next: the officer on duty will take the case, verify it and assess the risk to the child within 12 hours.
submitted-contact_yes = If they have questions, an officer will message you here.
submitted-contact_no = Officers will not contact you.
submitted-hotline = You can also call 111 — the national child-protection hotline (free, 24/7).
submitted-hotline_urgent = If the child is in danger right now, call 113 (police) immediately. The 111 hotline (free, 24/7) is always there to help.

## input
input-choose_button = Please pick one of the options below (press a button or type its number).
input-choose_button_zalo = Please pick one of the options below (type its number or its words).
input-old_button = That button belongs to an earlier question. Here is the current one:
input-unsupported = I can read text, buttons, locations and photos. Please answer the question below.
input-unsupported_zalo = I can read text, option numbers and photos. Please answer the question below.
input-location_not_now = This step does not need a location. Please answer the question below.
input-unknown_command = Unknown command. Answer the question below, or choose “Cancel”.
input-empty = That message was empty. Please answer the question below.
input-try_again_later = The system is busy. What you entered is kept; please try again in a moment.

## alert
alert-title = New report { $code }
alert-urgent = 🔴 URGENT — child in danger now
alert-normal = Urgency: normal
alert-category = What: { $value }
alert-place = Where: { $value }
alert-place_unknown = Where: unknown (reporter did not know the commune)
alert-age = Age: { $value }
alert-sex = Sex: { $value }
alert-received = Received: { $value }
alert-acknowledged = ✅ Taken by { $name } at { $at }
alert-ack = I take it
alert-view = View details

## officer
officer-not_officer = Sorry, only the assigned officers of this unit can do this.
officer-already_taken = This report has already been taken by { $name }.
officer-you_took_it = You have taken report { $code }.
officer-details_sent = The details were sent to you privately. If you don't see them, open a private chat with the bot and press /start.
officer-details_sent_zalo = The details are on their way to you, in this conversation.
officer-details_title = Report { $code } details (confidential — do not forward)
officer-details_relation = Reporter is: { $value }
officer-details_pin = Location: { $lat }, { $lon }
officer-details_address = Address: { $value }
officer-details_description = Description: { $value }
officer-details_contact = Reporter agreed to be contacted: { $value }
officer-details_attachments = Photos / voice messages attached: { $count }
officer-details_danger_words = ⚠️ The text has words that signal danger (self-harm, locked in, being beaten…)
## terminal
terminal-intro = Child-protection bot — terminal demo. Type as the reporter; '!1' presses the first button of the duty group's card (as the duty officer); '!web' gives the officer's sign-in link to the web console (with WEB_BASE_URL and WEB_PORT set); '/location LAT LON' and '/photo PATH' share a pin or a photo; Ctrl-D quits.
terminal-group = Duty group { $address }
terminal-private = Private chat with the officer
terminal-new = new message
terminal-edited = card edited
terminal-photo = (photo { $number }, { $kind })
terminal-no_button = (no such button on the duty card)
terminal-unreadable = (could not read that: { $reason })
terminal-toast = {"["}toast to { $login }] { $text }

## discreet
discreet-header = 💬 New message
wipe-done = Done.
menu-child = I need help
nav-wipe = 🧹 Delete messages
input-voice_not_now = This step does not take voice messages. Please answer the question below.
input-voice_too_long = That voice message is too long. Please send a shorter one, or write a few words.

## step.category / relation (used by cards and details)
step-category-unknown = Unknown
step-relation-self = The child themself (child's own report)
alert-child_self = 👧 Reported by the child
alert-via_web = 🌐 Sent through the web chat

## child
child-welcome = Hi. You did the right thing by writing here. You don't need to say your name.
child-danger_numbers =
    Call now:
    📞 111 — Child helpline (free)
    📞 113 — Police
    📞 115 — Ambulance
child-danger_told =
    { child-danger_numbers }
    We have already told the child-protection officers.
child-thanks =
    Thank you. This is not your fault. You did the right thing.

    The child-protection officers have your message.
    Your code: { $code }
child-contact_yes = An officer will write to you here. You can delete these messages at any time with the “Delete messages” button or /clear.
child-contact_no = When you need to, call 111 (free, day and night). You can delete these messages with the “Delete messages” button or /clear.
child-contact_yes_zalo = An officer will write to you here. Zalo does not let bots delete messages, so when you need to, delete this conversation yourself (press and hold the conversation → Delete).
child-contact_no_zalo = When you need to, call 111 (free, day and night). Zalo does not let bots delete messages, so when you need to, delete this conversation yourself (press and hold the conversation → Delete).

## step.child_danger
step-child_danger-prompt = Are you in danger right now?
step-child_danger-yes = Yes, I am in danger
step-child_danger-no = No

## step.child_what
step-child_what-prompt = What is happening to you?
step-child_what-hit = Someone hits me
step-child_what-touch = Someone touches me in a way I don't like
step-child_what-bullied = I am bullied at school or online
step-child_what-alone = I am left alone / not given food
step-child_what-online = Someone online asks for photos or threatens me
step-child_what-other = Something else

## step.child_more
step-child_more-prompt = Do you want to tell us more? You can write, or send a voice message. If not, choose “Skip”.

## step.child_place
step-child_place-prompt = Which commune or ward are you in? Type its name, or share your location. If you'd rather not say, choose “Skip”.
step-child_place-prompt_zalo = Which commune or ward are you in? Type its name. If you'd rather not say, choose “Skip”.
step-child_place-after_pin = Location received. If you know the commune or ward, type it too; if not, choose “Skip”.
step-child_place-unknown = Skip
step-child_place-no_match = We couldn't find “{ $query }”. Please type it again (the name from before 2025 works too), or choose “Skip”.
step-child_place_confirm-prompt = Is it this place?
step-child_place_confirm-retype = No, I'll type again

## step.child_contact
step-child_contact-prompt = May an officer write to you here?
step-child_contact-yes = Yes
step-child_contact-no = No

## zalo (no buttons: numbered lists and reply commands)
zalo-reply_hint = Reply { $numbers } (or type the words).
zalo-or = or
zalo-officer_commands = Reply “nhan { $code }” to take the case, “xem { $code }” to see the details.
zalo-attachments_elsewhere = { $count } file(s) attached. Zalo does not let bots send files: open the officers' web console to see or download them (send /web for a sign-in link).
zalo-unreadable =
    We could not read this message: Zalo does not pass on messages from some accounts (such as children's accounts).
    If you need help, call 111 — free, 24/7. You can also tell an adult you trust.
zalo-unreadable_web = You can also talk with us privately at { $address } — no account or app needed.
zalo-wipe_by_hand =
    Done.
    Zalo does not let bots delete messages. Please delete this conversation yourself in Zalo (press and hold the conversation → Delete).

## backup / restore (`python -m bot backup`, `python -m bot restore`)
backup-help = A consistent copy of the database and, separately, of the key store (safe while the bot runs).
backup-help_dir = where the database copy goes (db-<time>)
backup-help_keys_dir = where the key-store copy goes (keys-<time>), best elsewhere (default: the same)
backup-help_keep = key-store copies older than this many hours are deleted (default 24, never longer than the purge interval)
backup-done = Copied the database to { $database } and { $count } key-encryption keys to { $keys }.
backup-pruned = Deleted { $count } key-store copies older than { $hours } hours: shredded cases cannot be reopened from a copy.
backup-failed = Backup failed: { $error }
backup-error-in_memory = DATABASE_URL is an in-memory SQLite database: there is nothing to back up
backup-error-unsupported = DATABASE_URL: unsupported database '{ $backend }'
backup-error-tool_missing = { $tool } is not installed (Debian: postgresql-client)
backup-error-tool_failed = { $tool } failed: { $detail }
backup-error-no_database = no database at { $path }
backup-error-not_a_copy = { $path } is not a database copy made by backup
backup-error-other_backend = the copy is of a { $copy } database, DATABASE_URL is { $target }
backup-error-target_exists = { $path } exists: restore into a new DATABASE_URL
restore-help = Restores a database copy into DATABASE_URL (which must be empty), adds to the key store, then checks every key.
restore-help_database = the database copy's directory (db-<time>) made by backup
restore-help_keys = the key-store copy's directory (keys-<time>) to add to KEY_STORE_DIR
restore-done = Restored the database ({ $database }); added { $added } key-encryption keys to the key store. Key check:
restore-failed = Restore failed: { $error }

## poster (`python -m bot poster`)
poster-help = An A4 poster for schools and commune notice boards: a QR code to the web chat, the number 111.
poster-help_unit = the commune's (or province's) code in the deployment file
poster-help_out = the PDF file to write (default poster-<code>.pdf)
poster-help_url = the web chat's address (default PUBLIC_BASE_URL)
poster-unknown_unit = There is no unit with code { $code } in the deployment file.
poster-needs_url = The web chat has no address yet: set PUBLIC_BASE_URL or use --url.
poster-written = Wrote { $file } (QR code: { $address }).
poster-title = Do you need help?
poster-words = If someone hurts you, scares you, or you see a friend in trouble — it is not your fault. You can tell someone.
poster-call = Call 111
poster-call_note = free, day and night
poster-scan = Or scan this code to write to us — no account, no app needed:
poster-private = Nobody knows who you are. Press “Quick exit” to leave at once.
poster-footer = National child-protection hotline 111 · { $unit }

## admin (the command line)
admin-config_ok = { $file }: { $units } unit(s), { $officers } officer(s) — OK
admin-config_collaborators = { $count } collaborator(s) in { $communes } commune(s): their reports go straight to their commune
admin-no_duty_group = note: unit { $code } ({ $name }) has no duty group; its alerts go up the tree
admin-no_roster = note: unit { $code } ({ $name }) has no roster; "duty officer" steps are skipped and the next step goes at once
admin-chain_silent = error: unit { $code } ({ $name }): an urgent case nobody takes reaches nobody after its first card — declare a roster ([[rosters]]), a leader (role = "leader"), a parent unit with a duty group (parent) or national_contact
admin-step_silent = note: unit { $code } ({ $name }): the urgent step after { $after } ({ $targets }) reaches nobody; it is skipped and the next step goes at once
admin-demo_mode = note: no TELEGRAM_BOT_TOKEN or ZALO_BOT_TOKEN; `python -m bot` will run the terminal demo
admin-groups_without_telegram = warning: units have Telegram duty groups but TELEGRAM_BOT_TOKEN is empty: their cards cannot be sent
admin-config_error = configuration error: { $error }
admin-missing_secrets = configuration error: MASTER_KEYS and PSEUDONYM_PEPPER are not set (see .env.example). This command needs the running bot's own keys; throw-away keys exist only in the terminal demo, on its own database. Nothing was changed.
admin-short_pepper = configuration error: PSEUDONYM_PEPPER must be at least 16 characters of random data. Nothing was changed.
admin-wait_unreadable = '{ $value }' is not a duration; write it like 30s, 5m, 2h or 1d
admin-wait_negative = a wait cannot be negative ({ $value })
admin-wait_under_a_second = a wait of { $value } is under one second: timers are checked about once a second; write 0s or at least 1s
admin-wait_zero = this wait must be longer than zero (it is { $value })

## status (the Decree 56 process)
status-received = New, nobody has taken it yet
status-acknowledged = Taken by an officer
status-assessed = Initial risk assessment done (form 02)
status-protecting = Emergency protection / temporary separation
status-detailed_assessment = Detailed assessment done (form 03)
status-plan_drafted = Support plan drafted (form 04)
status-plan_approved = Plan approved (form 05)
status-monitoring = Implementing and monitoring
status-closed = Closed (form 06)

## clock (Decree 56 deadlines on cards)
clock-assessment = Initial assessment (12 hours)
clock-plan = Support plan (5 working days)
clock-separation = Temporary separation ends (15 days)
clock-left = ⏳ { $what }: due { $due } ({ $left } left)
clock-overdue = 🔴 { $what }: OVERDUE since { $due } ({ $late })
clock-minutes = { $minutes } min
clock-hours_minutes = { $hours } h { $minutes } min

## escalation
escalation-not_taken = ⏰ Nobody has taken this after { $elapsed }.
escalation-police_notice = 🚔 For the police: this report suggests a crime. Child-protection officers are handling it; this is for coordination.
escalation-timed_out = ⏰ Report { $code } was taken but nothing has been recorded in time. It goes back to the unit for the duty officer to take.
escalation-overdue_page = ⚠️ A timer of report { $code } is { $late } late. Please check the system and contact the unit now.
deadline-reminder = ⏳ Report { $code }: { $what } — due { $due }, { $left } left.
deadline-missed = 🔴 Report { $code }: { $what } — overdue since { $due } ({ $late }).

## officer workflow
officer-details_status = Status: { $value }
officer-not_owner = Only the officer who took it (or a leader, or the province) can do this.
officer-work = Still working on it
officer-work_noted = Noted: you are still working on { $code }.
officer-release = Give back to the unit
officer-released = { $code } is back with the unit; the duty officer will be told.
officer-status_changed = { $code }: { $status }
officer-not_now = Not possible at the current step ({ $status }).
officer-extend = Separation extended
officer-extended = Extension of the temporary separation recorded for { $code }.
officer-to-assessed = Initial assessment done (form 02)
officer-to-protecting = Emergency protection / temporary separation
officer-to-detailed_assessment = Detailed assessment done (form 03)
officer-to-plan_drafted = Plan drafted (form 04)
officer-to-plan_approved = Plan approved (form 05)
officer-to-monitoring = Implementing, monitoring
zalo-officer_action = "{ $command }" — { $label }

## roster
roster-handoff = 📋 You are now the child-protection duty officer of { $unit } until { $until }.
roster-handoff_open = { $count } open report(s) above. Press /start in a private chat to see details.
roster-handoff_open_zalo = { $count } open report(s) above. Type «xem» and the report's code (e.g. xem TE-7K3MQ) to read one, or /cases for the list.
roster-handoff_none = No report is open right now.
roster-title = Duty roster of { $unit } — from { $start }
roster-now = On duty now: { $officer } (backup: { $backup }) until { $until }
roster-line = { $start } → { $end }: { $officer } (backup: { $backup }){ $note }
roster-nobody = NOBODY
roster-gap = ⚠️ Gap: nobody on duty from { $start } to { $end }
roster-no_gaps = No gaps in the next 14 days.
roster-no_roster = Unit { $unit } has no roster (declare [[rosters]] in the deployment file).
roster-added = Added: { $kind } for { $officer } from { $start } to { $end }.
roster-kind-leave = leave
roster-kind-cover = cover
roster-source-rotation = {""}
roster-source-cover = {" "}(covering for leave)
roster-source-holiday = {" "}(holiday duty)
roster-source-override = {" "}(swap)
roster-source-gap = {""}

## audit (the command line)
audit-intact = audit log intact ({ $count } entries)
audit-broken = WARNING: audit log tampered with at entry { $seq } ({ $time }): { $why }
audit-why_edited = edited (its content no longer matches its hash)
audit-why_removed = removed or reordered (an entry before it is missing or out of order)
audit-title = Access history of case { $code } ({ $count } entries):
audit-line = { $time } — { $officer } — { $action }
audit-no_officer = —
audit-empty = nobody has accessed this case yet
audit-unknown_case = no case with code { $code }

## follow (the reporter after submitting)
submitted-secret =
    Follow-up secret: { $secret }
    With the report code and this secret, type /tracuu to see progress, read the officer's questions or add information — even from another phone or after wiping this chat. Tell nobody the secret.
child-secret = Your secret: { $secret }. Type /tracuu, then send your code and this secret, to see what the officers did or to write more.
follow-ask_code = Send the report code (for example TE-7K3MQ).
follow-bad_code = A report code is TE- and 5 letters or digits (for example TE-7K3MQ). Please send it again.
follow-ask_secret = Now send the follow-up secret (10 digits).
follow-wrong = The code or the secret is not right. Please check and send the report code again.
follow-blocked = Too many wrong tries. For safety, try again in 15 minutes (after many wrong tries: tomorrow). If it is urgent, call 111.
follow-status = Report { $code }: { $status }
follow-status_received = Received. The child-protection officers are being alerted to take it.
follow-status_handling = A child-protection officer is handling it.
follow-status_closed = The handling has ended. Thank you for reporting.
follow-question = ❓ The officer asks: { $text }
follow-no_new = No new message from the officer.
follow-add = Reply / add information
follow-stop = Do not contact me any more
follow-done = Done
follow-bye = Done. Type /tracuu whenever you need it.
follow-write_now = Write your answer or more information (photos too). The officer will get it without knowing who you are.
follow-sent = Sent to the officer in charge. You can write more, or choose "Done".
follow-stopped = Noted: the officers will not write to you any more. You can still see progress with /tracuu.
follow-closed = This report is closed, so it takes no more information. For something new, send a new report or call 111.
follow-not_now = I did not understand. Follow the instructions above, or choose "Done".
follow-photo_added = (a photo was added)
follow-photos_limit = This report has received { $limit } added photos in the last 24 hours. You can send more later, or write what the photo shows.
follow-officer_asks = The child-protection officer has a question about report { $code }: { $text }
    Just write your answer here.
follow-reply = Reply

## desk (the officer's case work)
officer-reporter_wrote = ✉️ The reporter of { $code } writes: { $text }
desk-note = Internal note
desk-ask = Ask the reporter
desk-assign = Assign to another officer
desk-transfer = Transfer to another unit
desk-dup = Duplicate of another report
desk-close = Close (form 06)
desk-message-to_reporter = ❓ { $at } asked the reporter: { $text }
desk-message-from_reporter = ✉️ { $at } reporter: { $text }
desk-message-note = 📝 { $at } note: { $text }
desk-timeline = Timeline:
desk-no_cases = No open report.
desk-cases_title = { $count } open report(s), urgent and nearest deadline first:
desk-no_contact = The reporter did not agree to be contacted.
desk-prompt-note = Write a note for { $code } (officers only). Type /huy to stop.
desk-prompt-ask = Write your question for the reporter of { $code }. They will not know who you are. Type /huy to stop.
desk-prompt-transfer = Type the code of the unit that should take { $code } (e.g. 00070 for a ward, 01 for a province). Type /huy to stop.
desk-prompt-dup = Type the code of the report { $code } duplicates (e.g. TE-7K3MQ). Type /huy to stop.
desk-choose-assign = Assign { $code } to whom?
desk-choose-close = Close { $code } with which outcome?
desk-assigned_to_you = 📌 { $by } assigned report { $code } to you.
desk-assigned = { $code } assigned.
desk-closed = { $code } closed.
desk-safe_needs_monitoring = "Child safe" closes a case only after implementing and monitoring.
desk-unknown_case = No such report within your reach.
desk-unknown_unit = No unit with that code (or it is the current one).
desk-transferred = { $code } transferred; the new unit gets the card and starts its own process.
desk-purged = The content of report { $code } was permanently deleted at the end of its retention period; only statistics remain.
desk-photos_on_web = 📷 { $count } photo(s)/file(s) attached. Zalo does not let bots send photos: see them on the officers' web console: { $link }
desk-photos_not_on_zalo = 📷 { $count } photo(s)/file(s) attached. Zalo does not let bots send photos, and the officers' web console (where they can be seen) is not set up: ask your administrator to turn it on.
desk-report_coming = Preparing the { $period } report of your unit; the file follows in a moment.
desk-report_ready = 📊 Report { $period } (aggregate figures, no report content).
desk-report_refused = Could not make the report: { $reason }. For example: /baocao 2026-Q3
desk-input_cancelled = Stopped.
desk-done-note = Note saved for { $code }.
desk-done-ask = Question sent to the reporter of { $code }.
outcome-safe = Child safe and stable
outcome-police = Transferred to the police
outcome-referred = Referred to another unit
outcome-unfounded = Unfounded
outcome-duplicate = Duplicate
event-received = Report received
event-alerted = The card reached the duty group
event-alert_rerouted = The duty group could not receive the card: it went to the group above
event-acknowledged = Taken
event-details_viewed = Report opened
event-step_sent = Reminder sent
event-step_skipped = A reminder step reached nobody
event-step_cancelled = Reminders stopped
event-overdue_paged = A timer ran late; warned
event-ack_timed_out = No progress in time: the case went back to the unit
event-still_working = Still working on it
event-released = Given back to the unit
event-status_changed = Next step
event-note_added = Note
event-reporter_asked = Question to the reporter
event-reporter_replied = The reporter replied
event-reporter_added = The reporter added information
event-urgent_raised = After submitting, the reporter said there is danger: now urgent
event-visit_requested = A collaborator was asked for a home visit
event-contact_stopped = The reporter asked not to be contacted
event-reassigned = Given to another officer
event-transferred = Transferred to another unit
event-linked_duplicate = Marked as a duplicate of another report
event-closed = Closed
timeline-track-chain = taking the case
timeline-track-ack_timeout = recording progress
timeline-track-police = telling the police
timeline-track-assessment = initial assessment (12 hours)
timeline-track-plan = support plan (5 working days)
timeline-track-separation = temporary separation (15 days)
timeline-track-other = a deadline
timeline-target-group = the unit's duty group
timeline-target-duty_officer = the duty officer
timeline-target-backup = the backup duty officer
timeline-target-leader = the commune's leaders
timeline-target-parent_group = the duty group above
timeline-target-national = the national contact
timeline-target-owner = the officer in charge
timeline-target-police = the police
timeline-sent-alert = Told { $who }
timeline-sent-alert_again = Nobody had taken it: told { $who } as well
timeline-sent-notice = Informed { $who }, for coordination
timeline-sent-timeout = No progress in time: told { $who }
timeline-sent-reminder = { $what } due soon: reminded { $who }
timeline-sent-missed = { $what } overdue: told { $who }
timeline-skipped = Could not tell { $who }
timeline-reason-no_duty_group = no duty group
timeline-reason-no_parent_unit = no unit above
timeline-reason-no_roster = no duty roster
timeline-reason-nobody_on_duty = nobody on duty now
timeline-reason-no_leader = no leader listed
timeline-reason-no_national_contact = no national contact
timeline-reason-no_police_contact = no police contact
timeline-held = Many reports at once from new accounts: this one has no card of its own in the group (see /cases)
timeline-refused = The duty group could not receive the card: the next step went at once
timeline-acked = Taken: reminders stopped
timeline-acked_unsent = Taken: reminders stopped, { $count } not yet sent were cancelled
timeline-met = { $what } done: deadline reminders stopped
timeline-stopped = Reminders for { $what } stopped: the case now stands at «{ $status }»
timeline-overdue = The timer ({ $what }) ran late; the duty groups were warned
timeline-extended = Temporary separation extended by { $days } days
timeline-reassigned = Given to { $name }
timeline-transferred = Moved from { $old } to { $new }
timeline-closed = Closed: { $outcome }
timeline-duplicate_of = Duplicate of report { $code }
timeline-another_report = The reporter sent another report, { $code }

## record (the case's dossier: form 01 and the steps after it)
record-title = RECORD OF INFORMATION AND REPORTS OF CHILD ABUSE — { $code }
record-subtitle = Shaped like form 01 of Decree 56/2017/ND-CP. Confidential: for the child-protection dossier only.
record-footer = The reporter is anonymous; their details are not recorded because they did not agree to give them. Exported from the reporting system; every export is logged.
record-intake = 1. Intake
record-code = Report code
record-received = Received at
record-channel = How it was received
record-channel_value = Message via { $channel }
record-unit = Receiving unit
record-child = 2. About the child
record-child_name = Full name
record-age = Age (estimated)
record-sex = Sex
record-place = Where (commune/ward)
record-address = Address
record-form = Form of abuse
record-danger = In danger now
record-description = Condition, what happened
record-attachments = Photos / voice messages attached
record-carers = Parents, carers; measures already taken
record-reporter = 3. Reporter
record-reporter_identity = Name, address
record-anonymous = Anonymous (the reporter did not agree to give them)
record-relation = Relation to the child
record-contact = Agreed to be contacted
record-added = 4. Information the reporter added later
record-steps = 5. Handling steps recorded (forms 02–06)
record-unknown = No information
record-unknown_case = no report has the code { $code }
record-written = wrote { $path }

## report (periodic reports)
report-title = Periodic report on child-abuse reports
report-unit = Unit: { $unit }
report-period = Period: { $period } ({ $dates })
report-generated = Figures as of: { $time }
report-counting = Cases and children are counted separately: a case may concern several children (the officer records how many at assessment; before that it counts one), and a child in several cases the officer linked as «same child» is counted once. Indicator 0101 is the number of children abused, from the cases the officer confirmed at assessment (unfounded and duplicate reports excluded). Duplicate reports are outside every figure. A case belongs to the period of the day it was received (Vietnam time); the terminal demo is never counted. The report reads only unencrypted fields and never opens what was reported.
report-period-month = Month { $month } of { $year }
report-period-quarter = Quarter { $quarter } of { $year }
report-period-h1 = First half of { $year }
report-period-h2 = Second half of { $year }
report-period-nine_months = First nine months of { $year }
report-period-year = Year { $year }
report-table-category = Cases by the category the reporter chose, and the form of abuse it counts under (Art. 4, Law on Children)
report-table-setting = Cases by where it happened (adult reporters are asked and may skip; a child's own report is not asked more)
report-sheet-setting = Where it happened
report-col-setting = Where it happened
report-table-age_sex = Children abused by age group and sex (indicator 0101)
report-table-channel = Cases by channel
report-table-reporter = Cases by source (who reported)
report-table-outcome = Cases by handling step (Decree 56) and outcome
report-table-handling = Handling indicators
report-table-units = Cases by unit
report-sheet-category = Report category
report-sheet-age_sex = Age and sex
report-sheet-channel = Channel
report-sheet-reporter = Source
report-sheet-outcome = Outcome
report-sheet-handling = Handling
report-sheet-units = By unit
report-col-form = Form of abuse
report-col-cases = Cases
report-col-age = Age group
report-col-total = Total
report-col-channel = Channel
report-col-reporter = Source
report-col-outcome = Outcome
report-col-indicator = Indicator
report-col-value = Value
report-col-unit_code = Unit code
report-col-unit_name = Unit
report-col-acknowledged = Taken
report-col-in_time = Assessed in time
report-col-overdue = Overdue now
report-total = Total
report-not_recorded = Not recorded
report-channel-telegram = Telegram
report-channel-zalo = Zalo
report-channel-web = Web chat
report-reporter-child = Child reporting themselves
report-reporter-adult = Citizen
report-ind-cases = Cases received
report-ind-acknowledged = Cases an officer has taken
report-ind-ack_median = Time from receipt until an officer took the case, median (minutes)
report-ind-ack_p90 = Time from receipt until an officer took the case, 90% of cases within (minutes)
report-ind-clock_over = Cases assessed, or whose assessment deadline has passed
report-ind-assessed_in_time = Cases given the initial assessment in time (12 hours, or the unit's own limit)
report-ind-assessed_share = Share assessed in time (%)
report-ind-overdue = Cases overdue now (initial assessment or support plan)
report-ind-escalated = Cases escalated to the province's duty group
report-ind-unread = Zalo messages we could not read (protected accounts, such as children's) — answered with 111
report-about = About
report-charts = Charts
report-no_cases = No reports in this period
report-progress = Making the report
report-written = Report written: { $path }
report-error = Cannot make the report: { $error }
report-reminder = 🗓 Report reminder: { $report } of { $unit }, due before { $due }. The draft is attached (data from { $dates }).
report-reminder_data_open = The data period has not ended: the draft counts until today; download the document again when it has.
report-reminder_signer = Signed by: { $signer }.
report-reminder_link = Write the results, difficulties and recommendations, then download the document, in the officers' web console: { $link }
report-period-custom = from { $first } to { $last }
report-help_due = make the report now due by the deployment file's reporting calendar (instead of --period)
report-due_none = The reporting calendar (report_calendar in the deployment file) has no report due now.
report-due_chosen = Report due: { $report } of unit { $code }, due before { $due } (data from { $dates }).
report-due_data_open = The data period has not ended: the figures count until today.

## keys and retention (the command line)
keys-rotated = Master key v{ $version } is now in use: { $rewrapped } data key(s) re-wrapped, { $total } in all. Case data was not touched.
keys-no_new_version = Nothing to rotate: every data key is already wrapped by v{ $version }, the highest version in MASTER_KEYS. Add a new version first (e.g. { $next }:<base64>).
keys-check_opened = { $opened } data key(s) open ({ $external } of them with their key-encryption key in the key store).
keys-check_shredded = { $count } case(s) shredded (purged after their retention period): unreadable by design.
keys-check_orphans = { $count } key(s) in the key store have no data key any more (an interrupted shred); harmless.
keys-check_missing = WARNING: { $count } data key(s) have no key-encryption key in the key store { $store }: their data cannot be opened. Cases: { $codes }. Check KEY_STORE_DIR, or restore the key store from its backup.
keys-check_failed = FAILED: data key { $id }: { $error }
keys-check_failed_total = { $count } data key(s) FAILED to open (see above).
purge-retention = Retention: unfounded { $unfounded } days, duplicate { $duplicate } days, handled (safe, police, referred) { $handled } days.
purge-drafts = { $count } abandoned draft(s) (unchanged for { $days } days) shredded, with their photos and voice notes.
purge-drafts_would = { $count } abandoned draft(s) (unchanged for { $days } days) would be shredded (dry run).
purge-nothing = No closed case is past its retention period.
purge-would_shred = { $count } closed case(s) are past their retention period and would be shredded (dry run, nothing changed):
purge-shredding = Shredding { $count } closed case(s) past their retention period:
purge-line = { $code } — { $outcome } — closed { $date }
purge-no_outcome = no outcome
purge-done = { $count } case(s) shredded. Statistics are unchanged.

## Web console (officers)
web-title = Child protection — officers
web-nav-queue = Reports
web-nav-roster = Duty roster
web-nav-stats = Statistics
web-nav-sessions = Sessions
web-switch_language = Tiếng Việt
web-sign_out = Sign out
web-back_to_queue = Back to the reports
web-not_set_up = The officers' web console is not set up (WEB_BASE_URL is empty). Please tell your administrator.
web-link = Your sign-in link to the officers' console (works once, for { $minutes } minutes, for you only):
    { $link }
    Do not forward this message.
web-signin_intro = You are signing in to the child-protection officers' console.
web-signin_button = Sign in
web-signin_hint = The link works only once. If it has expired, send /web to the bot in a private chat for a new one.
web-sign_in_needed = Please sign in: send /web to the bot in a private chat (Telegram or Zalo) to get a sign-in link.
web-signed_out = Your session has ended. Send /web to the bot to sign in again.
web-signed_out_done = You are signed out.
web-link_refused = This link was already used or has expired. Send /web to the bot for a new one.
web-too_many = Too many failed attempts. Please wait 15 minutes and try again.
web-csrf_refused = This request was refused because it did not come from your page. Reload the page and try again.
webchat-quick_exit = Quick exit
webchat-answer = Your answer
webchat-photo = Choose a photo (optional), then press “Send”
webchat-send = Send
webchat-follow_up = Check a report you sent (needs its code and secret)
webchat-call = Need help now? Call 111 (free, 24/7) · 113 police · 115 ambulance
webchat-privacy = No account needed. This page keeps nothing on this device; press «Quick exit» to leave at once.
webchat-stale = That page was out of date, so the answer was not sent. Everything you answered before is still there. Please answer the question below again.
webchat-too_long = That answer was too long, so it was not sent. Everything you answered before is still there. Please make it shorter and send it again.
webchat-expired = The earlier conversation ended because it was left without an answer for a while. Please start again here.
webchat-receipt_note = Copy the report code and the secret (or write them down): once you leave this page they are no longer shown here. With the code and secret, press «Check a report you sent» from any browser to read the officers' questions and answer them. While this page stays open, their questions also appear here when you reload it.
web-not_found = Not found, or you may not see this.
web-purged = The content of this report was deleted for good at the end of its retention period.
web-totp_enter = Enter the 6-digit code from your authenticator app.
web-totp_enrol = Turn on two-step sign-in: add the key below to an authenticator app (Google Authenticator, Microsoft Authenticator…), then enter the 6-digit code it shows.
web-totp_code = 6-digit code
web-totp_submit = Confirm
web-totp_wrong = The code is wrong or was already used. Try a new one.
web-totp_ok = Verified.
web-totp_link = Two-step sign-in
web-sessions_title = Your sessions
web-session_line = Started { $started }, expires { $ends }
web-session_this = (this one)
web-session_end = End session
web-session_ended = That session has ended.
web-queue_title = Open reports
web-queue_empty = No open reports.
web-sound_option = Vibrate/beep when a new report arrives
web-urgent = Urgent
web-no_owner = Not taken yet
web-report = The report
web-messages = Messages and notes
web-show_report = Show the report
web-show_report_hint = Each time the content is opened, it is written to the audit log.
web-export = Download the intake record (PDF, form 01)
web-photo = Photo { $number }
web-hint-note = Only officers can read it.
web-hint-ask = Sent to the reporter, without your name.
web-hint-transfer = Code of the receiving unit (e.g. 00070 for a ward, 01 for the province).
web-hint-dup = Code of the report it duplicates (e.g. TE-7K3MQ).
web-cli_needs_settings = The officers' console needs WEB_BASE_URL and WEB_PORT (see .env.example).
web-admin_no_cases = Administrators configure the system and do not read reports. Use the roster and statistics pages.
serve-needs_webhook = `python -m bot serve` needs TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_URL (an https://… address) and TELEGRAM_WEBHOOK_SECRET (1–256 characters: letters A–Z, digits, _ and -)

## abuse of the channel: limits, floods, duplicates
abuse-slow_down = You are sending messages a little fast, so I am pausing for a moment. Please wait a little, then carry on; your answers so far are kept. If a child is in danger now, call 111 (National Child Protection Hotline, free, 24/7) or 113 right away.
abuse-reports_per_day = Thank you for looking out for children. So that officers can handle every report, each person can send up to { $count } reports in 24 hours, and you have reached that. This report is kept here; you can send it later. If it cannot wait, call 111 (free, 24/7); if a child is in danger now, call 113.
abuse-flood_admin = ⚠️ Possible mass reporting: { $count } reports from accounts never seen before in the last { $minutes } minutes. Until { $until }, each duty group gets one notice card with a count instead of a card for every non-urgent report from a new account. Every report is still stored and listed in /cases; urgent ones are still alerted at once.
abuse-flood_notice = ⚠️ Many reports are arriving at once from new accounts. Until { $until }, non-urgent reports from new accounts get no card of their own here: please see and handle them in /cases. Urgent reports are still alerted at once as usual. Reports without a card of their own: { $held }.
abuse-duplicate_linked = 🔗 The reporter of { $first } has sent another report about the same commune and the same child (same kind of harm, age band and sex): { $code }. It is linked to { $first } and not alerted to the duty group again; please read the new report.
abuse-duplicate_alerted = 🔗 The reporter of { $first } has sent another report about the same commune and the same child: { $code }. It is more serious (urgent, or a suspected crime), so it was alerted to the duty group as a new report.
abuse-duplicate_unheard = 🔗 The reporter of { $first } has sent another report about the same commune and the same child: { $code }. Nobody has taken { $first } and nobody is on duty to be told privately, so the new report was alerted to the duty group as a new report.

## outbound: digest cards and administrators' notices about broken chats
outbound-resent = 🔁 Sent again after a restart — if the group already saw this card, it is the same report.
outbound-digest_title = 📋 { $count } new reports — put together in one message because the group reached Telegram's sending limit
outbound-digest_urgent = 🔴 { $code } · URGENT · { $category }
outbound-digest_normal = 🟡 { $code } · { $category }
outbound-digest_taken = ✅ taken by { $name }
outbound-digest_hint = Press "Take" to take a report, "View" to read its details in a private chat.
outbound-digest_take = Take { $code }
outbound-digest_view = View { $code }
outbound-notice_removed = ⚠️ The bot cannot post in the duty group of { $unit }: it was removed from the group, or the group is gone. The unit's new reports are going to the group above it, and the escalation chain goes on at once. Add the bot back to the group, or correct the unit's telegram_chat_id in the deployment file.
outbound-notice_not_found = ⚠️ The bot cannot find the duty group of { $unit } on Telegram (a wrong chat id, or the group was deleted). The unit's new reports are going to the group above it, and the escalation chain goes on at once. Correct the unit's telegram_chat_id in the deployment file.
outbound-notice_blocked = ⚠️ The bot cannot write privately to the officer { $officer } ({ $unit }): they have not pressed "Start" in a private chat with the bot, or they blocked it. Ask them to open a private chat with the bot and press "Start".
outbound-notice_moved = ℹ️ Telegram turned the duty group of { $unit } into a supergroup with the new id { $chat }. The bot now posts there. Change the unit's telegram_chat_id to { $chat } in the deployment file.
web-alert_link = 🔗 Open the report in the officers' web console: { $link }

## fault (faults and odd input)
fault-edit_not_read = I do not read edited messages again. If you want to correct or add something, please send a new message.

## Web console: roster and statistics pages
web-roster-title = Duty roster
web-roster-none = Your unit (and the units under it) has no duty roster. An administrator declares rosters ([[rosters]]) in the deployment file.
web-roster-now = On duty now: { $officer } (backup: { $backup }), until { $until }
web-roster-next = Next shift: { $officer } (backup: { $backup }), from { $start }
web-roster-no_gaps = No gaps in the next { $days } days.
web-roster-shifts = Shifts in the next { $days } days
web-roster-col-from = From
web-roster-col-until = Until
web-roster-col-officer = Duty officer
web-roster-col-backup = Backup
web-roster-rule = Shifts of { $days } day(s), handed over at { $handoff } (Vietnam time).
web-roster-entries = Coming leave and cover
web-roster-entry = { $officer }: { $kind } from { $start } to { $end }
web-roster-from_file = (from the deployment file)
web-roster-from_cli = (added on the command line)
web-roster-from_web = (added on the web)
web-roster-add_title = Add leave or cover
web-roster-kind = Kind
web-roster-kind_leave = Leave (the next officer in the rotation takes over)
web-roster-kind_cover = Cover (the chosen officer is on duty for this time)
web-roster-officer = Officer
web-roster-nobody_option = Nobody on duty (a gap)
web-roster-add_hint = Dates and times in Vietnam time. Leave and cover added here are kept when the bot restarts.
web-roster-add = Add
web-roster-rotation_title = Rotation
web-roster-rotation_hint = Number the officers in duty order (1, 2, 3…); leave an officer blank to keep them out of the rotation. Officer 1 takes the shift starting at the handoff time of the start date.
web-roster-period_days = Days per shift
web-roster-handoff = Handoff time
web-roster-start = Start date
web-roster-file_wins = Note: the rotation, days per shift, handoff time and start date are read again from the deployment file each time the bot restarts. A change here applies at once but is replaced by the file at the next restart, unless an administrator changes the file too.
web-roster-save_rotation = Save rotation
web-roster-rotation_saved = Rotation saved: { $officers }. Remember to ask an administrator to change the deployment file too.
web-roster-not_allowed = Only supervisors and administrators can change the roster. You can still see it.
web-roster-bad_time = "{ $text }" is not a valid date and time. Type it as 2026-12-01 07:30.
web-roster-bad_kind = Choose a kind: leave or cover.
web-roster-ends_first = The end must come after the start.
web-roster-past = This time is already over. Check the dates.
web-roster-too_long = This is longer than a year. Check the year.
web-roster-not_in_unit = The chosen officer does not belong to this unit.
web-roster-officer_needed = Leave needs an officer.
web-roster-bad_position = The position of { $officer } is not valid: use a number from 1 to the number of officers in the unit.
web-roster-rotation_empty = The rotation needs at least one officer.
web-roster-same_position = Two officers cannot have the same position.
web-roster-bad_period = Days per shift must be from 1 to { $most }.
web-roster-bad_handoff = The handoff time is not valid. Type it as 07:30.
web-roster-bad_start = The start date is not valid. Type it as 2026-11-02.
web-stats-title = Report statistics
web-stats-period = Reporting period
web-stats-show = Show
web-stats-period_hint = For example: 2026-Q3 (quarter), 2026-H1 or 2026-H2 (six months), 2026-9M (nine months), 2026 (year), 2026-07 (month).
web-stats-bad_period = "{ $period }" is not a reporting period. Choose one from the list or type it like the examples above.
web-stats-not_started = { $period } has not started yet, so there are no figures. Choose a period that has started.
web-stats-refused_period = The reporting period is not valid or has not started.
web-stats-download = Download the report (Excel)
web-stats-chart = Chart: { $title }

## Learn and reports of harmful content about children online (the pieces: locales/learn.en.toml)
menu-online = Report harmful content about children online
menu-learn = 📖 Learn
step-category-online_content = Harmful content about children online
step-online_link-prompt =
    Please send the link (the page's address) of that content, for example https://…
    Please do not send pictures or videos: forwarding or keeping such material harms the child too and is against the law.
step-online_platform-prompt = Where is that content?
step-online_platform-facebook = Facebook
step-online_platform-tiktok = TikTok
step-online_platform-youtube = YouTube
step-online_platform-zalo = Zalo
step-online_platform-telegram = Telegram
step-online_platform-website = A website
step-online_platform-other = Somewhere else
step-online_danger-prompt = Do you know whether the child in that content is in danger now?
step-online_danger-yes = Yes, the child is in danger
step-online_danger-no = No
step-online_danger-unknown = I don't know
online-not_a_link = I see no link in your message yet. Copy the page's address (starting with https:// or www.) and paste it here.
online-no_images = I do not take pictures or videos here: forwarding or keeping images of a child being abused harms the child too and is against the law. Just send the link, then delete the picture from your phone.
online-no_files = I do not take files here: forwarding or keeping material showing a child being abused harms the child too and is against the law. Just send the link.
online-thanks = Please do not share or keep that content. If you saved it, delete it. The province's focal point and the police will deal with the link you sent.
online-notice =
    🔗 Report of harmful content about children online { $code }
    Platform: { $platform }
    Link (defanged, do not open in an ordinary browser): { $link }
    { $danger }
online-notice_danger = ⚠️ The reporter says the child is in danger.
online-notice_no_danger = The reporter did not say the child is in danger.
officer-details_online_link = Link (defanged): { $link } · { $platform }
web-stats-learn_title = Learn pieces opened
web-stats-learn_piece = Piece
web-stats-learn_count = Times opened
web-stats-learn_none = No piece was opened in this period.
web-stats-online_reports = Reports of harmful content about children online in the period: { $count }

## Command line (python -m bot): help, exit statuses, command-line errors
cli-description = The bot that takes reports of child abuse. Without a command it runs the bot (`run`); each command has its own help: python -m bot COMMAND --help
cli-command = the command to run (default: run)
cli-verbose = also print the libraries' information lines (alembic)
cli-commands = Commands:
cli-exit_codes = Exit statuses:
cli-more = Documentation: docs/cli.md
cli-usage = usage:
cli-positionals = arguments
cli-options = options
cli-help_flag = show this help and exit
cli-bad_settings = configuration error: values in .env or the environment that cannot be used: { $names }. Nothing was changed.
cli-error-required = missing required arguments: { $names }
cli-error-unrecognized = arguments not recognised: { $names }
cli-error-choice = { $name }: { $value } is not a valid choice (choose from: { $choices })
cli-error-expected_one = { $name } needs one value
cli-error-invalid_value = { $name }: the value { $value } is not valid
cli-error-not_allowed_with = { $name } cannot be used with { $other }
cli-error-other = wrong command line; see --help
cli-exit-ok = success
cli-exit-failed = the command ran but met a problem (a broken audit chain, a key that does not open, a backup not taken)
cli-exit-usage = wrong command line; nothing was done
cli-exit-config = configuration missing or wrong (.env, keys, deployment file); nothing was changed
cli-exit-not_found = the case, unit or name asked for was not found
cli-exit-interrupted = stopped with Ctrl-C
cli-help-run = run the bot (Telegram by long polling, Zalo; without a token, the terminal demo)
cli-help-serve = run the bot taking Telegram by webhook (several workers behind a reverse proxy)
cli-help-check-config = check the settings, the keys and the deployment file before a start
cli-help-init = write .env (fresh keys) and a starter deployment file for a province and its communes
cli-help-units = look up official unit codes by name (with or without accents, pre-2025 names too)
cli-help-roster = show and edit the duty roster (leave, cover)
cli-help-audit = verify the audit log, or show who opened a case
cli-help-keys = rotate the master key, or check every data key
cli-help-purge = shred closed cases past their retention period
cli-help-backup = back up the database and, separately, the key store
cli-help-restore = restore a backup and check that every key opens
cli-help-report = make the periodic report (xlsx, csv, pdf)
cli-help-export-case = export one case's record (pdf, docx) for the paper dossier
cli-help-poster = print the poster with the QR code to the web chat
cli-help-web = run the officers' console alone
admin-whole_file = the whole file
admin-invalid_value = value not valid (error type: { $type })
admin-deployment_not_found = { $file }: file not found (set DEPLOYMENT_FILE)
admin-deployment_not_toml = { $file }: not valid TOML (line { $line }, column { $column })
admin-deployment_problems = { $file }: { $count } problem(s)
admin-bad_master_keys = configuration error: MASTER_KEYS looks like 1:<base64 of 32 bytes>, each version once, separated by commas. Nothing was changed.
admin-unknown_key_version = master key version { $version } is not in MASTER_KEYS
admin-contact_unreachable = contact '{ $name }' needs telegram_chat_id or zalo_user_id
admin-unit_not_official = '{ $code }' is not an official province or commune/ward code (look it up: python -m bot units find NAME)
admin-group_not_negative = a duty group's chat id is negative (e.g. -1001234567890)
admin-until_before_from = 'until' must be after 'from'
admin-unit_twice = code { $code } is declared twice
admin-not_a_unit = '{ $code }' is not a declared unit
admin-fallback_without_group = unit '{ $code }' needs a telegram_chat_id, or unplaced reports reach nobody
admin-user_twice = declared twice
admin-unknown_policy = '{ $policy }' is not declared under [policies]
admin-roster_twice = unit { $code } has more than one roster
admin-not_an_officer = '{ $name }' is not an officer of unit { $code }
admin-bad_due = '{ $value }' is not a due date: write 10/03 (every year), 05 (every month) or 2026-12-10 (one day)
admin-custom_needs_days = a "custom" report needs 'from' and 'until' (the first and last day of its data)
admin-days_only_for_custom = 'from' and 'until' are for a "custom" report only
admin-day_only_for_month = a due day without a month (like "05") is for monthly reports (report = "month")
admin-custom_due_needs_year = a "custom" report's due date is one date, like 2026-07-10 (not '{ $value }')
admin-rotation_twice = an officer is listed twice in the rotation
admin-steps_out_of_order = steps must have 'after' values in increasing order
admin-repeats_without_every = 'repeats' needs 'repeat_every'
admin-missing = required entry missing
admin-extra_forbidden = unknown entry (a typo?)
admin-int_type = needs a whole number
admin-int_parsing = needs a whole number
admin-string_type = needs a text (in double quotes)
admin-string_too_short = too short (at least { $min_length } characters)
admin-string_too_long = too long (at most { $max_length } characters)
admin-greater_than = must be greater than { $gt }
admin-greater_than_equal = must be { $ge } or more
admin-less_than_equal = must be at most { $le }
admin-list_type = needs a list [ … ]
admin-dict_type = needs a table (section)
admin-model_type = needs a table (section)
admin-bool_type = needs true or false
admin-enum = not one of the allowed values (see deployment.example.toml)
admin-too_short = needs at least { $min_length } entries
admin-time_type = needs a time such as 07:30:00
admin-time_parsing = needs a time such as 07:30:00
admin-date_type = needs a date such as 2026-12-01
admin-date_parsing = needs a date such as 2026-12-01
admin-datetime_type = needs a date and time such as 2026-12-01T07:30:00
admin-datetime_parsing = needs a date and time such as 2026-12-01T07:30:00
period-not_a_period = '{ $period }' is not a reporting period: use 2026-Q3 (quarter), 2026-H1 or 2026-H2 (six months), 2026-9M (nine months), 2026 (year) or 2026-07 (month)
period-bad_year = '{ $period }': the year must be between 2000 and 2100
report-unknown_format = unknown format '{ $format }' (use { $formats })
report-not_started = the period { $period } has not started yet
report-unknown_unit = unknown unit '{ $unit }' (declare it in the deployment file, then start the bot once)
report-help = The periodic report a commune or province sends upward (tables, charts).
report-help_period = period: 2026-Q3, 2026-H1, 2026-9M, 2026 or 2026-07
report-help_unit = unit code (default: the deployment's fallback unit)
report-help_format = file format (default xlsx; docx with --due)
report-help_out = a file, or a folder (default: bao-cao-CODE-NAME-PERIOD.EXT here)
report-help_locale = language of the labels (default: DEFAULT_LOCALE)
report-help_data_period = data period: 15-14 (from the 15th of the month before the period to the 14th of its last month) or calendar (calendar months); default from the deployment file
roster-help_action = show: the next 14 days; leave: record a leave; cover: record a cover
roster-help_unit = unit code (e.g. 00070)
roster-help_officer = leave/cover: the officer's name as in the deployment file
roster-help_from = leave/cover: local start (Vietnam time), e.g. 2026-12-01T07:30
roster-help_until = leave/cover: local end
roster-usage_override = usage: python -m bot roster leave|cover UNIT --officer NAME --from 2026-12-01T07:30 --until 2026-12-02T07:30 (leave needs --officer)
roster-bad_moment = '{ $value }' is not a date and time: write --from and --until as 2026-12-01T07:30
roster-until_before_from = --until must be after --from
roster-unknown_officer = '{ $officer }' is not an active officer of unit { $unit }
audit-help_action = verify: check the whole chain; show: one case's access history
audit-help_code = show: the case code, e.g. TE-AB234
audit-usage = usage: python -m bot audit verify | python -m bot audit show TE-XXXXX
keys-help = Rotate the master key (rotate: MASTER_KEYS lists a new highest version) or check every data key (check). Prints no key.
keys-help_action = rotate: re-wrap every data key under the newest master key; check: check every key
purge-help = Shred (crypto-shred) closed cases past their retention period; run it daily. Statistics stay the same.
purge-help_dry_run = only list the cases that would be shredded; change nothing
record-help = The form-01-shaped record of a case (pdf or docx), for the commune's paper dossier; the export is audited.
record-help_code = the case code, e.g. TE-7K3MQ
record-help_format = format (default pdf)
record-help_out = file to write (default: <code>.<format> here)
poster-help_locale = language of the poster (default vi)
units-help = Look up official unit codes (since the merger of 1 July 2025) by name, with or without accents, pre-2025 commune and ward names included.
units-help_find = find by name (e.g.: ben nghe, "hoàn kiếm", "phường 1 quận 3")
units-help_show = show one code: its name, province, and the former units merged into it
units-help_name = the commune, ward or province name, optionally with the province or former district
units-help_limit = at most this many results (default 10)
units-help_code = a province code (2 digits) or commune/ward code (5 digits)
units-place = { $code }  { $name } — { $province }
units-province = province { $code }  { $name }
units-today = Units today:
units-before_2025 = Names before 2025 and the unit today:
units-former = { $name } ({ $district }, { $province }, before 2025)
units-formed_from = Made of the former units (before 2025):
units-none = No unit named '{ $query }' was found.
units-not_a_code = '{ $code }' is not a unit code (2 or 5 digits); to search by name use: python -m bot units find NAME
units-unknown_code = No unit has the code { $code }.
init-help = Write .env with a fresh master key, pepper and webhook secrets (mode 0600) and a starter deployment file for a province and its communes, every unit with a roster and someone paged at every step. Never replaces keys or a deployment file already there.
init-help_province = province: its name (with or without accents) or 2-digit code
init-help_commune = commune or ward: its name (pre-2025 names too) or 5-digit code; repeat it or separate with commas
init-help_env = the .env file to write (default .env)
init-help_deployment = the deployment file to write (default deployment.toml)
init-help_start = the day the rosters start (default today)
init-ask_province = Province (name or code):
init-ask_communes = Communes and wards (names or codes, separated by commas):
init-needs_province = --province (and --commune) are needed when not run on a terminal: python -m bot init --province "Hà Nội" --commune "Hoàn Kiếm"
init-unknown_province = No province '{ $province }' was found (look it up: python -m bot units find NAME).
init-unknown_commune = No commune or ward '{ $commune }' was found in this province (look it up: python -m bot units find NAME).
init-env_header = The bot's settings (see .env.example). Holds secret keys: readable by its owner only (0600), never in git, backed up apart.
init-env_written = { $file }: fresh { $made }; kept { $kept } (mode 0600)
init-deployment_written = { $file }: { $province } and { $communes } commune(s)
init-deployment_kept = { $file } exists: kept as it is, not overwritten
init-next = Next: replace the group and user ids marked REPLACE in the deployment file, set TELEGRAM_BOT_TOKEN or ZALO_BOT_TOKEN in .env, then run: python -m bot check-config
init-replace = REPLACE
init-group_id = the Telegram duty group's chat id (negative)
init-user_id = the officer's Telegram user id
init-national = National line 111
init-province_unit = { $name } Department of Health — child protection
init-commune_unit = People's Committee of { $lower }
init-officer = Duty officer { $n } ({ $unit })
init-leader = Commune leader ({ $unit })
init-toml_header = Starter deployment file written by `python -m bot init`. Replace the names and the ids marked REPLACE with real ones.
init-toml_units = Every unit has a duty group, a roster of two officers and (communes) a leader: every urgent step reaches someone.
init-policy_comment = The province has no unit above it: after its duty officers, the national line.
keys-reason_damaged = does not open (the wrapped key is damaged or not under this master key)
keys-reason_keystore_required = this key needs the key store (KEY_STORE_DIR), which the command could not open
keys-reason_keystore_unreadable = the key store cannot be read
cli-os-denied = no permission to write or read { $path }
cli-os-missing = { $path } does not exist
cli-os-no_space = out of disk space writing { $path }
cli-os-exists = { $path } already exists
cli-os-read_only = { $path } is on a read-only file system
cli-os-other = file-system error ({ $code }) with { $path }
cli-failed = could not do it: { $error }
admin-telegram_proxy = Telegram goes through the proxy { $proxy } (TELEGRAM_PROXY)

## watchdog: the bot tells the administrators when it is itself unwell (docs/monitoring.md)
watchdog-subject = [Child-protection bot] The system needs a look
watchdog-outbox = ⚠️ Outgoing messages are stuck: a message due { $minutes } minutes ago has not been sent. Alert cards may not have reached the duty officers. Check the bot's process and its network.
watchdog-timers = ⚠️ The timers are late: a reminder or escalation step is { $minutes } minutes overdue. Check the bot's process.
watchdog-channel = ⚠️ { $channel } has not been reachable for { $minutes } minutes. People and officers may not get messages through this channel.
watchdog-footer = The bot sent this itself, at most once every { $every } minutes per problem. Details: /readyz and /metrics.

## Assessment results and the same child (issue 18)
desk-assess = Record the assessment result
desk-samechild = Same child as another report
desk-prompt-samechild = Type the code of the report about the same child (e.g. TE-7K3MQ): the child is counted once. Type /huy to cancel.
assess-prompt = Assessment result for { $code }: press a button, or type in full «co <children> <groups>» (special-circumstance groups of Art. 10 of the Law on Children, numbers 1–14, one per child; e.g. «co 2 4» is 2 children, 1 with a disability), or «khong» if there was no abuse. Type /huy to cancel.
assess-choice-confirmed = Abuse confirmed: { $children } children
assess-choice-unfounded = No abuse
assess-bad = That is not a result I understand. Type e.g. «co 1», «co 2 4 9» or «khong».
assess-recorded = Assessment result recorded for { $code }: abuse confirmed.
assess-recorded_unfounded = Assessment result recorded for { $code }: no abuse.
assess-same_child_linked = Recorded: { $code } concerns the same child as the other report.
web-hint-samechild = Code of the report about the same child (e.g. TE-7K3MQ).
web-hint-assess = Result of the initial assessment (recorded by the officer, never asked of the reporter).
web-assess-finding = Result
web-assess-children = Children concerned
web-assess-special = Children in special circumstances (Art. 10 of the Law on Children), one group per child
event-assessment_recorded = Assessment result recorded
event-same_child_linked = Marked as the same child as another report
timeline-same_child = Same child as report { $code }
timeline-assessment = Assessment result: { $finding }
finding-confirmed = Abuse confirmed
finding-unfounded = No abuse
special-1 = Children who lost both parents
special-2 = Abandoned children
special-3 = Children with nobody to rely on
special-4 = Children with disabilities
special-5 = Children living with HIV/AIDS
special-6 = Children in conflict with the law
special-7 = Children addicted to drugs
special-8 = Children who left school to earn a living before finishing lower secondary school
special-9 = Children seriously harmed physically and mentally by violence
special-10 = Exploited children
special-11 = Sexually abused children
special-12 = Trafficked children
special-13 = Children with a serious or long-term illness in poor or near-poor households
special-14 = Migrant, displaced or refugee children whose parents are unknown or who have no carer
form-violence = Violence against children
form-exploitation = Exploitation of children
form-sexual = Sexual abuse of children
form-trafficking = Trafficking of children
form-abandonment = Abandonment of children
form-neglect = Neglect of children
form-other = Other forms of harm
form-unclassified = Form not yet determined
report-table-summary = Summary, compared with the same period last year and the year to date
report-table-forms = Cases and children abused by form of abuse (Art. 4, Law on Children; indicator 0101)
report-table-special = Children in special circumstances in the cases (Art. 10, Law on Children; recorded at assessment)
report-sheet-summary = Summary
report-sheet-forms = Indicator 0101
report-sheet-special = Special circumstances
report-col-confirmed = Cases with abuse confirmed
report-col-children_abused = Children abused
report-col-children = Children
report-col-group = Group of children in special circumstances
report-col-category = Report category
report-col-this_period = This period
report-col-last_year = Same period last year
report-col-year_to_date = Year to date
report-ind-duplicates = Linked duplicate reports (outside every figure)
report-sum-cases = Cases received (duplicates excluded)
report-sum-children = Children concerned
report-sum-confirmed = Cases with abuse confirmed
report-sum-children_abused = Children abused (indicator 0101)
report-sum-unfounded = Unfounded cases
report-sum-awaiting = Cases without an assessment result yet
report-sum-duplicates = Duplicate reports (not counted)
report-sum-assessed_share = Initial assessments in time (%)
report-period-year_to_date = Year { $year } to date
doc-place_date = { $place }, { $day }/{ $month }/{ $year }
doc-number = No.:        /BC-
doc-motto1 = SOCIALIST REPUBLIC OF VIET NAM
doc-motto2 = Independence - Freedom - Happiness
doc-kind = REPORT
doc-title = Reports of child abuse received and handled, { $period }
doc-dates = (Data from { $dates })
doc-section-results = I. REPORTS RECEIVED AND HANDLED
doc-section-difficulties = II. DIFFICULTIES
doc-section-recommendations = III. RECOMMENDATIONS
doc-to_fill = (To be written by the unit.)
doc-recipients = Recipients:
doc-to_above = - { $unit };
doc-to_board = - The unit's leaders;
doc-to_archive = - Archive: clerical office.
doc-signer_title = AUTHORITY, POSITION OF THE SIGNER
doc-signature = (Signature, seal)
doc-signer_name = Full name
doc-see_annex = Detailed figures in the attached annex.
doc-annex = ANNEX: DETAILED FIGURES
doc-annex_of = (Attached to the report for { $period }; data from { $dates })
web-stats-written_title = Written sections of the { $period } report
web-stats-section_results = Results
web-stats-section_difficulties = Difficulties
web-stats-section_recommendations = Recommendations
web-stats-save_texts = Save the written sections
web-stats-written_hint = Each line is one paragraph in the DOCX and PDF documents, right under its heading. Do not write the name or address of a child or a reporter.
web-stats-section_empty = (Not written yet.)
web-stats-texts_saved = The written sections of the { $period } report are saved. DOCX and PDF documents downloaded from now on include them.
web-stats-texts_not_allowed = Only a province officer (supervisor) or an administrator of the unit can write this part of the report.
web-stats-texts_too_long = Each section holds at most 8000 characters. Please shorten it and save again.
web-stats-download_docx = Download the report document (DOCX, editable)
web-stats-download_pdf = Download the report document (PDF)

## collaborators (cộng tác viên): their reports, their own list, home visits
admin-collaborator_unreachable = collaborator '{ $name }' needs telegram_user_id or zalo_user_id (so officers can ask for home visits)
admin-not_a_commune = '{ $code }' is a province code; a collaborator belongs to a commune or ward (a 5-digit code)
collab-report_start = You are a collaborator for { $village }, { $commune }: your report goes straight to your commune's officers, no need to choose the place. If it happened somewhere else, please say where at the address question.
collab-follow_hint = As a collaborator you can see the status of the reports you sent at any time with /cuatoi (no code or secret needed).
collab-not_collaborator = This command is for collaborators registered by their commune. To follow a report, type /tracuu, then its code and secret.
collab-no_reports = You have not sent any report from this account yet.
collab-reports_title = Reports you sent (the latest { $count }):
collab-report_line = • { $code } — { $at } — { $category }: { $status }
alert-from_collaborator = 🤝 Source: collaborator
report-reporter-collaborator = Collaborator
desk-visit = 🏠 Ask a collaborator for a home visit
desk-choose-visit = Which collaborator should visit the home for { $code }? The private message holds only the case's facts, never the reporter's words.
visit-option = { $name } — { $village }
visit-with_address = { $who } (with the address)
visit-nobody = This commune has no collaborator registered.
visit-not_here = Only officers of the commune holding the case can ask for a home visit, and only while the case is open.
visit-unreachable = { $name } cannot be messaged: no Telegram or Zalo account is declared.
visit-sent = { $name } was asked to visit the home for { $code }.
visit-title = 🏠 Home visit request — case { $code }
visit-address = Address: { $value }
visit-footer = The commune's child-protection officers ask you to visit the family, see how the child is, and report back to them. Please keep this to yourself.
timeline-visit = Collaborator { $name } asked for a home visit
web-hint-visit = A private message to the collaborator: the case code, kind of harm, urgency, age, sex and commune; never the reporter's words.
web-visit-address = Include the address the reporter gave
web-source = Source: { $source }
