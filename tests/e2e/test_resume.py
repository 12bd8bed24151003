"""The résumé coach through the fake Bot API: /resume buttons, documents, pasted text, /match."""

from __future__ import annotations

import itertools
import logging
import threading

import pytest

from bot.core.resume import advise
from bot.core.resume import session as coach
from tests.e2e.conftest import serving as polling
from tests.e2e.fake_bot_api import Upload
from tests.unit.resume import builders, samples

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
SOURCE = "How to Get a Machine Learning Internship › "


def projects_docx() -> bytes:
    """PROJECTS_HEAVY as a real .docx, its "## " headings as Word headings."""
    lines = [line for line in samples.PROJECTS_HEAVY.splitlines() if line.strip()]
    return builders.docx_bytes(
        ["# " + line[3:] if line.startswith("## ") else line for line in lines]
    )


def experience_pdf() -> bytes:
    return builders.pdf_bytes(
        [[line for line in samples.EXPERIENCE_HEAVY.splitlines() if line.strip()]]
    )


async def text_after(api, chat_id: int, start: int, phrase: str) -> str:
    """Text of the messages sent to `chat_id` after the first `start`, once `phrase` shows up."""
    for count in itertools.count(start + 1):
        messages = await api.wait_for_messages(chat_id, count, method="sendMessage", timeout=20)
        text = "\n".join(m.text or "" for m in messages[start:])
        if phrase in text:
            return text
    raise AssertionError("unreachable")


def refused(api) -> list:
    """Calls the fake answered with an error (a getUpdates cut short at shutdown has none)."""
    return [(c.method, c.response) for c in api.failures() if c.status >= 400]


def sent(api, chat_id: int) -> list:
    return api.sent_messages(chat_id, method="sendMessage")


async def after(api, user, act, phrase: str) -> str:
    """Do `act` as `user` (a text or a callback data for the last message), then the text
    the bot sends back, once `phrase` shows up in it."""
    start = len(sent(api, user.chat_id))
    if act.startswith("rs:"):
        user.press_button(sent(api, user.chat_id)[-1], act)
    else:
        user.send_text(act)
    return await text_after(api, user.chat_id, start, phrase)


def send_photo(api, user_id: int, content: bytes) -> None:
    """The fake has no public helper for a user's photo: build the update Telegram sends."""
    chat = api._private_chat(user_id)
    stored = api._store_file("photos", Upload("photo.jpg", content, "image/jpeg"))
    photo = [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": 640,
            "height": 480,
            "file_size": len(content),
        }
    ]
    api._enqueue("message", api._new_message(chat["id"], user_id, photo=photo))


async def test_guided_resume_buttons_end_in_order_and_cited_tips(fake_api, make_bot):
    user = fake_api.user(301)
    async with polling(make_bot()):
        user.send_text("/resume")
        [first] = await fake_api.wait_for_messages(user.chat_id, 1)
        assert "How did you get into machine learning?" in first.text
        assert [b["text"] for b in first.buttons] == [
            "Self-taught",
            "Boot camp",
            "Degree in a related field",
            "Degree in another field",
            "PhD",
            "📋 Paste my résumé as text",
        ]
        user.press_button(first, "rs:bg:other_degree")
        second = (await fake_api.wait_for_messages(user.chat_id, 2))[1]
        assert second.method == "editMessageText"
        assert "more projects or more work experience" in second.text
        user.press_button(first, "rs:mp:other_degree:projects")
        advice_text = await text_after(fake_api, user.chat_id, 1, "Send me your résumé as a file")
    advice = advise("other_degree", True)
    order = "Summary → Projects → Experience → Skills → Education"
    assert f"Recommended section order\n{order}" in advice_text
    for tip in advice.tips:
        assert f"💡 {tip.text}\n📖 {tip.source}" in advice_text
    assert all(tip.source.startswith(SOURCE) for tip in advice.tips)
    answered = fake_api.message(user.chat_id, first.message_id)
    assert "Degree in another field · More projects" in answered["text"]
    last = fake_api.sent_messages(user.chat_id, method="sendMessage")[-1]
    assert [b["callback_data"] for b in last.buttons] == ["rs:paste"]
    assert not refused(fake_api)


async def test_start_menu_button_starts_the_same_conversation(fake_api, make_bot):
    user = fake_api.user(302)
    async with polling(make_bot()):
        user.send_text("/start")
        [greeting] = await fake_api.wait_for_messages(user.chat_id, 1)
        user.press_button(greeting, "menu:resume")
        question = (await fake_api.wait_for_messages(user.chat_id, 2))[1]
        user.press_button(question, "rs:bg:phd")
        await fake_api.wait_for_messages(user.chat_id, 3)
        user.press_button(question, "rs:mp:phd:experience")
        text = await text_after(fake_api, user.chat_id, 2, "Recommended section order")
    assert "How did you get into machine learning?" in question.text
    assert coach.order_text(advise("phd", False).recommended_order) in text


async def test_docx_review_names_sections_order_and_weak_projects(fake_api, make_bot):
    user = fake_api.user(303)
    app = make_bot()
    async with polling(app):
        user.send_document("cv.docx", projects_docx(), DOCX)
        text = await text_after(fake_api, user.chat_id, 0, "Saved as your latest résumé")
    assert "Résumé review of cv.docx" in text
    verdict = text.split("Résumé review of cv.docx", 1)[1].strip().split("\n\n")[0]
    assert verdict.startswith("Verdict\n") and "1 job, 3 projects" in verdict  # verdict first
    assert "Found: Experience, Projects, Education, Skills\nMissing: Summary" in text
    assert "Recommended: Summary → Projects → Experience → Skills → Education" in text
    assert "Your project “Tweet Sentiment” has no purpose or method" in text
    assert "Move “Selected Projects” above “Work History”" in text  # the quoted heading
    assert f"📖 {SOURCE}Personal Summary" in text
    stored = app.bot_data["services"].store.resumes.get_resume(user.id)
    assert stored.filename == "cv.docx" and "Movie Recommender" in stored.text
    assert ("sendChatAction" in {c.method for c in fake_api.calls()}) and not refused(fake_api)


async def test_pdf_review(fake_api, make_bot):
    user = fake_api.user(304)
    async with polling(make_bot()):
        user.send_document("Sam Rivera CV.pdf", experience_pdf(), PDF)
        text = await text_after(fake_api, user.chat_id, 0, "Saved as your latest résumé")
    assert "Found: Summary, Projects, Experience, Education, Skills\n" in text
    assert "Missing:" not in text
    assert "Yours: Summary → Projects → Experience → Education → Skills" in text
    assert "Recommended: Summary → Experience → Projects → Skills → Education" in text
    assert "Move “EXPERIENCE” above “PROJECTS”" in text


async def test_pasted_text_via_the_button_is_reviewed_not_answered(fake_api, make_bot):
    user = fake_api.user(305)
    app = make_bot()
    async with polling(app):
        await after(fake_api, user, "/resume", "How did you get")
        prompt = await after(fake_api, user, "rs:paste", "Paste your résumé")
        text = await after(fake_api, user, samples.EXPERIENCE_HEAVY, "Saved as your latest résumé")
    assert "send the file instead" in prompt
    assert "Résumé review of your pasted text" in text and "Sources" not in text
    assert "Found: Summary, Projects, Experience, Education, Skills" in text
    assert app.bot_data["services"].store.resumes.get_resume(user.id).filename == "pasted text"


async def test_a_question_while_waiting_for_a_paste_is_answered(fake_api, make_bot):
    user = fake_api.user(306)
    app = make_bot()
    async with polling(app):
        await after(fake_api, user, "/resume", "How did you get")
        await after(fake_api, user, "rs:paste", "Paste your")
        answer = await after(fake_api, user, "is kaggle worth it?", "Sources")
    assert "Kaggle" in answer and "Résumé review" not in answer
    assert app.bot_data["services"].store.resumes.get_resume(user.id) is None


async def test_match_gives_the_score_first_and_each_requirement_behind_a_button(fake_api, make_bot):
    user = fake_api.user(307)
    async with polling(make_bot()):
        no_resume = await after(fake_api, user, "/match", "résumé from you yet")
        user.send_document("cv.docx", projects_docx(), DOCX)
        await text_after(fake_api, user.chat_id, 1, "Saved as your latest résumé")
        prompt = await after(fake_api, user, "/match", "Paste the job description")
        summary = await after(fake_api, user, samples.JOB_DESCRIPTION, "Tailor Each Resume")
        details = await after(fake_api, user, "rs:jd", "Nice to have")
    assert "Send it as a file (PDF, DOCX or TXT)" in no_resume
    assert "each of its requirements" in prompt
    assert "% match: " in summary and "Missing: statistics; A/B testing." in summary
    assert "✅" not in summary  # the per-requirement list waits behind the button
    assert f"📖 {SOURCE}Tailor Each Resume to the Job" in summary
    assert "✅ Python" in details and "❌ Docker" in details
    assert "“" in details.split("✅ Python")[1].split("\n")[0]  # with the résumé line


BAD_FILES = {
    "eleven_pages": (
        "cv.pdf",
        lambda: builders.pdf_bytes([["EXPERIENCE", "Analyst"]] * 11),
        PDF,
        "This PDF has 11 pages",
    ),
    "encrypted": (
        "cv.pdf",
        lambda: builders.encrypted_pdf(["EXPERIENCE", "Analyst"]),
        PDF,
        "password-protected",
    ),
    "corrupt": ("cv.pdf", lambda: b"%PDF-1.7\n" + b"\x13garbage" * 200, PDF, "damaged"),
    "zip_bomb": ("cv.docx", builders.zip_bomb_docx, DOCX, "unpacks to far more data"),
    "png_document": (
        "cv.png",
        lambda: builders.PNG_BYTES,
        "image/png",
        "looks like a picture (PNG image)",
    ),
    "empty": ("cv.txt", lambda: b"", "text/plain", "This file is empty"),
    "doc_renamed_pdf": (
        "cv.pdf",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        PDF,
        "labelled as a PDF but isn't one",
    ),
    "not_a_resume": ("recipe.txt", lambda: samples.RECIPE.encode(), "text/plain", "résumé"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
async def test_bad_file_gets_the_reason_while_others_are_served(fake_api, make_bot, case):
    filename, content, mime_type, reason = BAD_FILES[case]
    student, other = fake_api.user(310), fake_api.user(311)
    app = make_bot()
    async with polling(app):
        student.send_document(filename, content(), mime_type)
        other.send_text("is kaggle worth it?")
        [reply] = await fake_api.wait_for_messages(student.chat_id, 1, timeout=20)
        [answer] = await fake_api.wait_for_messages(other.chat_id, 1)
    assert reply.text.startswith("⚠️") and reason in reply.text, reply.text
    assert "Kaggle" in answer.text
    assert app.bot_data["services"].store.resumes.get_resume(student.id) is None
    assert not refused(fake_api)


async def test_file_over_5_mb_is_refused_without_downloading(fake_api, make_bot):
    user = fake_api.user(312)
    async with polling(make_bot()):
        user.send_document("cv.pdf", b"%PDF-1.7\n" + b"0" * (6 * 1024 * 1024), PDF)
        [reply] = await fake_api.wait_for_messages(user.chat_id, 1)
    assert "6.0 MB" in reply.text and "up to 5 MB" in reply.text
    assert fake_api.calls("getFile") == []


async def test_photo_gets_asked_for_a_document(fake_api, make_bot):
    user = fake_api.user(313)
    async with polling(make_bot()):
        send_photo(fake_api, user.id, builders.JPEG_BYTES)
        [reply] = await fake_api.wait_for_messages(user.chat_id, 1)
    assert "That's a photo" in reply.text and "PDF" in reply.text
    assert fake_api.calls("getFile") == []


async def test_another_user_is_answered_while_a_review_is_running(fake_api, make_bot, monkeypatch):
    gate = threading.Event()
    real_extract = coach.extract_text

    def held_extract(data, filename, mime_type=None):
        assert gate.wait(30), "the review was never released"
        return real_extract(data, filename, mime_type)

    monkeypatch.setattr(coach, "extract_text", held_extract)
    student, other = fake_api.user(314), fake_api.user(315)
    try:
        async with polling(make_bot()):
            student.send_document("cv.docx", projects_docx(), DOCX)
            await fake_api.wait_for_calls("getFile")
            other.send_text("is kaggle worth it?")
            [answer] = await fake_api.wait_for_messages(other.chat_id, 1)
            assert fake_api.sent_messages(student.chat_id) == []  # the review is still held
            gate.set()
            text = await text_after(fake_api, student.chat_id, 0, "Saved as your latest résumé")
    finally:
        gate.set()
    assert "Kaggle" in answer.text and "Verdict" in text


async def test_resume_text_never_reaches_the_logs(fake_api, make_bot, caplog):
    caplog.set_level(logging.DEBUG)
    in_file, in_paste, in_bad = "Zanzibar-Quokka-4417", "Pelican-Marmot-9021", "Okapi-Narwhal-3310"
    lines = [line for line in samples.EXPERIENCE_HEAVY.splitlines() if line.strip()]
    user = fake_api.user(316)
    async with polling(make_bot()):
        user.send_document("cv.docx", builders.docx_bytes([*lines, f"Motto: {in_file}"]), DOCX)
        await text_after(fake_api, user.chat_id, 0, "Saved as your latest résumé")
        user.send_document("cv.pdf", f"{in_bad} renamed".encode(), PDF)
        await text_after(fake_api, user.chat_id, 1, "too little text")
        await after(fake_api, user, "/resume", "How did you get")
        await after(fake_api, user, "rs:paste", "Paste your")
        await after(fake_api, user, f"{samples.EXPERIENCE_HEAVY}\nMotto: {in_paste}", "Saved as")
    assert caplog.records
    assert in_file not in caplog.text and in_bad not in caplog.text
    # PTB's own DEBUG trace prints every incoming update (a pasted message included); the bot
    # runs at WARNING. Everything the bot logs, and every library record at INFO or above, is clean.
    assert all(
        in_paste not in r.getMessage()
        for r in caplog.records
        if r.name.startswith("bot") or r.levelno >= logging.INFO
    )


async def test_forget_removes_the_resume_and_the_pending_paste(fake_api, make_bot):
    user = fake_api.user(317)
    app = make_bot()
    store = app.bot_data["services"].store
    async with polling(app):
        user.send_document("cv.docx", projects_docx(), DOCX)
        await text_after(fake_api, user.chat_id, 0, "Saved as your latest résumé")
        assert store.resumes.get_resume(user.id) is not None
        await after(fake_api, user, "/resume", "How did you get")
        await after(fake_api, user, "rs:paste", "Paste your")
        await after(fake_api, user, "/forget", "Are you sure?")
        user.press_button(sent(fake_api, user.chat_id)[-1], "forget:yes")
        await fake_api.wait_for_calls("editMessageText")
        answer = await after(fake_api, user, "tell me whether kaggle is worth it", "Sources")
        reply = await after(fake_api, user, "/match", "résumé from you yet")
    assert store.resumes.get_resume(user.id) is None
    assert "Kaggle" in answer and "Résumé review" not in answer  # a question again, not a paste
    assert "don't have a résumé from you yet" in reply


async def test_another_command_ends_the_wait_for_a_job_description(fake_api, make_bot):
    user = fake_api.user(318)
    app = make_bot()
    app.bot_data["services"].store.resumes.save_resume(user.id, "cv.txt", samples.PROJECTS_HEAVY)
    async with polling(app):
        await after(fake_api, user, "/match", "Paste the job description")
        await after(fake_api, user, "/help", "What I can do")
        answer = await after(fake_api, user, "tell me whether kaggle is worth it", "Sources")
    assert "Kaggle" in answer and "Job description match" not in answer


async def test_a_paste_after_an_open_interview_question_is_a_resume(fake_api, make_bot):
    user = fake_api.user(319)
    app = make_bot()
    async with polling(app):
        await after(fake_api, user, "/interview technical", "Interview question")
        await after(fake_api, user, "/resume", "How did you get")
        await after(fake_api, user, "rs:paste", "Paste your")
        text = await after(fake_api, user, samples.EXPERIENCE_HEAVY, "Saved as your latest résumé")
    assert "Verdict" in text
    assert app.bot_data["services"].store.interviews.interview_results(user.id) == []
