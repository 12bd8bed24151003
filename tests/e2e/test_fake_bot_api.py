"""The fake Bot API against PTB's real client: what other e2e tests rely on."""

from __future__ import annotations

import asyncio
import warnings

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    AIORateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from tests.e2e.fake_bot_api import FakeBotApi, polling
from tests.e2e.telegram_html import EntityParseError, detect_entities, parse_html, utf16_len

USER = 4242


def bot_for(api: FakeBotApi, token: str | None = None, **kwargs) -> Bot:
    return Bot(token or api.token, base_url=api.base_url, base_file_url=api.base_file_url, **kwargs)


# ---- the HTML validator on its own ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("</i>", "Unexpected end tag at byte offset 0"),
        ("<p>para</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<br/>", 'Unsupported start tag "br/" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("résumé <3", "Unclosed start tag at byte offset 9"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("AT&T", 'Unescaped "&" at byte offset 2'),
        ("&nbsp;", 'Unescaped "&" at byte offset 0'),
        ("<!-- note -->x", 'Unsupported start tag "!--"'),
    ],
)
def test_html_outside_telegrams_rules_is_rejected(html, reason):
    with pytest.raises(EntityParseError) as error:
        parse_html(html)
    assert reason in str(error.value)


def test_html_parses_to_telegrams_text_and_utf16_entities():
    text, entities = parse_html(
        "😀 <b>bold <i>both</i></b> &lt;&amp;&gt;&quot;&#33; "
        '<a href="https://x.org/?a=1&amp;b=2">link</a> '
        '<pre><code class="language-python">x = 1</code></pre> '
        '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>'
    )
    assert text == '😀 bold both <&>"! link x = 1 st'
    assert utf16_len("😀") == 2 and len(text) + 1 == utf16_len(text)
    assert entities == [
        {"offset": 3, "length": 9, "type": "bold"},
        {"offset": 8, "length": 4, "type": "italic"},
        {"offset": 19, "length": 4, "type": "text_link", "url": "https://x.org/?a=1&b=2"},
        {"offset": 24, "length": 5, "type": "pre", "language": "python"},
        {"offset": 30, "length": 1, "type": "spoiler"},
        {"offset": 31, "length": 1, "type": "spoiler"},
    ]
    assert parse_html("AT&T", strict_ampersand=False) == ("AT&T", [])


def test_user_text_gets_command_and_mention_entities():
    assert detect_entities("/start@careerbot_test_bot hi @someone, 1/2") == [
        {"type": "bot_command", "offset": 0, "length": 25},
        {"type": "mention", "offset": 29, "length": 8},
    ]


# ---- transport, auth, update delivery --------------------------------------------------------
async def test_get_me_auth_and_unknown_method(fake_api):
    async with bot_for(fake_api) as bot:
        assert bot.username == "careerbot_test_bot" and bot.id == 123456
        assert (await bot.get_me()).can_join_groups
        with pytest.raises(EndPointNotFound):  # Telegram answers 404 for unknown methods
            await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": USER})
    with pytest.raises(InvalidToken):
        async with bot_for(fake_api, token="999:WRONG"):
            pass
    assert fake_api.calls("sendTelepathy")[0].status == 404
    async with httpx.AsyncClient() as client:
        wrong = await client.post(f"{fake_api.base_url}999:WRONG/getMe")
    assert wrong.status_code == 401 and wrong.json() == {
        "ok": False,
        "error_code": 401,
        "description": "Unauthorized",
    }


async def test_json_and_form_bodies_are_understood_alike(fake_api):
    fake_api.user(USER)
    async with httpx.AsyncClient(base_url=fake_api.base_url + fake_api.token) as client:
        by_json = await client.post(
            "/sendMessage",
            json={
                "chat_id": USER,
                "text": "<b>hi</b>",
                "parse_mode": "HTML",
                "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
            },
        )
        by_form = await client.post(
            "/sendMessage",
            data={
                "chat_id": str(USER),
                "text": "123",
                "reply_markup": '{"inline_keyboard": [[{"text": "B", "callback_data": "b"}]]}',
            },
        )
    assert by_json.json()["result"]["entities"] == [{"offset": 0, "length": 2, "type": "bold"}]
    first, second = fake_api.sent_messages(USER)
    assert (first.text, first.raw_text, first.parse_mode) == ("hi", "<b>hi</b>", "HTML")
    assert by_form.json()["ok"] and second.text == "123"  # text stays a string
    assert [b["callback_data"] for b in first.buttons + second.buttons] == ["a", "b"]


async def test_long_poll_blocks_until_an_update_arrives(fake_api):
    async with bot_for(fake_api) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await fake_api.wait_for_calls("getUpdates", 1)
        assert not poll.done()  # the fake has the request and holds it open: a real long poll
        fake_api.send_text(USER, "/start")
        updates = await asyncio.wait_for(poll, timeout=5)  # well before its own 30 s
        assert [u.message.text for u in updates] == ["/start"]
        assert updates[0].message.entities[0].type == "bot_command"
        fake_api.send_text(USER, "again")
        again = await bot.get_updates(offset=updates[0].update_id + 1, timeout=0)
        assert [u.message.text for u in again] == ["again"]  # the first one was confirmed
        await bot.get_updates(offset=again[0].update_id + 1, allowed_updates=["poll_answer"])
        fake_api.send_text(USER, "filtered out")
        assert fake_api.pending_updates == [] and len(fake_api.dropped_updates) == 1


async def test_a_second_poller_terminates_the_first_with_conflict(fake_api):
    async with bot_for(fake_api) as first, bot_for(fake_api) as second:
        waiting = asyncio.create_task(first.get_updates(timeout=30))
        await fake_api.wait_for_calls("getUpdates", 1)
        await second.get_updates(timeout=0)
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(waiting, timeout=5)


async def test_every_update_and_result_parses_in_ptb_without_warnings(fake_api):
    user = fake_api.user(USER, "Grace", username="grace_h")
    async with bot_for(fake_api) as bot:
        question = await bot.send_message(
            USER,
            "Pick",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]]),
        )
        quiz = await bot.send_poll(
            USER,
            "?",
            ["x", "y"],
            type="quiz",
            is_anonymous=False,
            correct_option_ids=[0],
            explanation="<i>x</i>",
            explanation_parse_mode="HTML",
        )
        user.send_text("/help@careerbot_test_bot me", reply_to_message_id=question.message_id)
        fake_api.send_text(USER, "in a group", chat_id=-100500, chat_type="supergroup")
        user.press_button(question.message_id, "a")
        user.answer_poll(quiz.poll.id, [1])
        user.send_document("cv.docx", b"PK", caption="my /cv")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # e.g. a deprecated field or a missing required one
            closed = await bot.stop_poll(USER, quiz.message_id)
            chat = await bot.get_chat(-100500)
            user.member_status("kicked")
            updates = [Update.de_json(u, bot) for u in fake_api.pending_updates]
    kinds = [next(k for k in u if k != "update_id") for u in fake_api.pending_updates]
    assert kinds == [
        "message",
        "message",
        "callback_query",
        "poll_answer",
        "message",
        "my_chat_member",
    ]
    assert updates[0].message.reply_to_message.text == "Pick"
    assert updates[0].message.entities[0].type == "bot_command"
    assert updates[1].effective_chat.type == "supergroup"
    assert updates[2].callback_query.message.message_id == question.message_id
    assert updates[5].my_chat_member.new_chat_member.status == "kicked"
    assert closed.is_closed and closed.options[1].voter_count == 1 and chat.id == -100500


# ---- a real Application ------------------------------------------------------------------------
async def reply_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Quiz me", callback_data="quiz")]])
    await update.message.reply_text(
        f"<b>Hello</b>, {update.effective_user.first_name}!",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
    )


async def start_quiz(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer("Starting")
    await update.callback_query.edit_message_text("Quiz started")
    await context.bot.send_poll(
        update.effective_chat.id,
        "2 + 2?",
        ["3", "4"],
        type="quiz",
        is_anonymous=False,
        correct_option_ids=[1],
    )


async def record_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    answer = update.poll_answer
    await context.bot.send_message(answer.user.id, f"You chose {list(answer.option_ids)}")


async def test_application_conversation_end_to_end(fake_api, app_builder):
    app = app_builder.build()
    app.add_handler(CommandHandler("start", reply_start))
    app.add_handler(CallbackQueryHandler(start_quiz, pattern="^quiz$"))
    app.add_handler(PollAnswerHandler(record_answer))
    user = fake_api.user(USER, "Ada", username="ada_l")
    async with polling(app):
        user.send_text("/start")
        [greeting] = await fake_api.wait_for_messages(USER, 1)
        assert (greeting.text, greeting.parse_mode) == ("Hello, Ada!", "HTML")
        with pytest.raises(AssertionError, match="no button"):
            user.press_button(greeting, "nope")
        query_id = user.press_button(greeting, "quiz")
        messages = await fake_api.wait_for_messages(USER, 3)
        edit, quiz = messages[1:]
        assert (edit.method, edit.text, edit.buttons) == ("editMessageText", "Quiz started", [])
        assert quiz.poll["type"] == "quiz" and quiz.poll["correct_option_ids"] == [1]
        assert fake_api.callback_answers[0]["callback_query_id"] == query_id
        with pytest.raises(AssertionError):  # the edit removed the keyboard
            user.press_button(greeting, "quiz")
        user.answer_poll(quiz.poll["id"], [1])
        answer = (await fake_api.wait_for_messages(USER, 4))[-1]
        assert answer.text == "You chose [1]"
        assert fake_api.polls[quiz.poll["id"]].answers == {USER: [1]}


async def test_application_survives_a_blocked_user(fake_api, app_builder):
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(update.message.text)

    errors = []

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    app = app_builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_error_handler(on_error)
    async with polling(app):
        fake_api.send_text(USER, "one")
        await fake_api.wait_for_messages(USER, 1)
        fake_api.member_status(USER, "kicked")
        fake_api.send_text(USER, "two")
        await fake_api.wait_for_calls("sendMessage", 2)
        fake_api.member_status(USER, "member")
        fake_api.send_text(USER, "three")
        sent = await fake_api.wait_for_messages(USER, 2)
    assert [m.text for m in sent] == ["one", "three"]
    assert [type(e) for e in errors] == [Forbidden]
    assert fake_api.calls("sendMessage")[1].injected


# ---- Telegram's validation and fault injection --------------------------------------------------
async def test_html_and_length_limits_answer_bad_request(fake_api):
    fake_api.user(USER)
    async with bot_for(fake_api) as bot:
        with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
            await bot.send_message(USER, "<p>x</p>", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(USER, "x" * 4097)
        with pytest.raises(BadRequest, match="Message is too long"):  # 4098 UTF-16 units
            await bot.send_message(USER, "😀" * 2049)
        with pytest.raises(BadRequest, match="Message text is empty"):
            await bot.send_message(USER, "<b> </b>", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(777, "hello stranger")
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(
                USER,
                "pick",
                reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton("x", callback_data="é" * 33)]]
                ),
            )
        longest = await bot.send_message(USER, "<i>" + "x" * 4096 + "</i>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="Message is not modified"):
            await longest.edit_text("<i>" + "x" * 4096 + "</i>", parse_mode="HTML")
    assert len(longest.text) == 4096 and len(fake_api.sent_messages(USER)) == 1
    assert [c.response["description"] for c in fake_api.failures()][0].startswith(
        'Bad Request: can\'t parse entities: Unsupported start tag "p"'
    )


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"question": "q" * 301}, "question length"),
        ({"options": ["only one"]}, "at least 2 option"),
        ({"options": [str(i) for i in range(11)]}, "more than 10 options"),
        ({"options": ["a", "b" * 101]}, "options length"),
        ({"explanation": "e" * 201}, "explanation length"),
        ({"correct_option_ids": [5]}, "correct option"),
        ({"correct_option_ids": None}, "correct option"),
    ],
)
async def test_poll_limits_answer_bad_request(fake_api, changes, reason):
    fake_api.user(USER)
    poll = dict(
        question="Which loss for classification?",
        options=["MSE", "Cross-entropy"],
        type="quiz",
        is_anonymous=False,
        correct_option_ids=[1],
        explanation="Probs.",
    )
    async with bot_for(fake_api) as bot:
        with pytest.raises(BadRequest, match=reason):
            await bot.send_poll(USER, **{**poll, **changes})
        sent = await bot.send_poll(USER, **poll)
    assert sent.poll.correct_option_ids == (1,) and not sent.poll.is_anonymous


async def test_legacy_correct_option_id_is_accepted(fake_api):
    fake_api.user(USER)
    async with httpx.AsyncClient(base_url=fake_api.base_url + fake_api.token) as client:
        answer = await client.post(
            "/sendPoll",
            json={
                "chat_id": USER,
                "question": "?",
                "options": ["a", "b"],
                "type": "quiz",
                "correct_option_id": 0,
                "is_anonymous": False,
            },
        )
    poll = answer.json()["result"]["poll"]
    assert poll["correct_option_ids"] == [0] and fake_api.polls[poll["id"]].question == "?"


# PTB itself reads RetryAfter's deprecated int-valued `retry_after` while building the error.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_429_is_raised_by_plain_bot_and_retried_by_rate_limiter(fake_api):
    fake_api.user(USER)
    fake_api.fail_next("sendMessage", status=429, retry_after=1)
    async with bot_for(fake_api) as bot:
        with pytest.raises(RetryAfter) as error:
            await bot.send_message(USER, "first")
        assert "Retry in 1 second" in str(error.value)
    limited = ExtBot(
        fake_api.token, base_url=fake_api.base_url, rate_limiter=AIORateLimiter(max_retries=1)
    )
    fake_api.fail_next("sendMessage", status=429, retry_after=1)
    async with limited:
        await limited.send_message(USER, "second")
    assert [(c.status, c.injected) for c in fake_api.calls("sendMessage")] == [
        (429, True),
        (429, True),
        (200, False),
    ]
    assert fake_api.calls("sendMessage")[0].response["parameters"] == {"retry_after": 1}
    assert [m.text for m in fake_api.sent_messages(USER)] == ["second"]


async def test_server_errors_and_blocked_chats(fake_api):
    fake_api.user(USER)
    fake_api.user(USER + 1)
    async with bot_for(fake_api) as bot:
        fake_api.fail_next("sendMessage", status=502, chat_id=USER)
        fake_api.fail_next("*", status=500)
        fake_api.block(USER + 1)
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(USER, "a")
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_chat_action(USER, "typing")
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(USER + 1, "b")
        await bot.send_chat_action(USER, "typing")
        fake_api.unblock(USER + 1)
        await bot.send_message(USER + 1, "c")
    assert fake_api.chat_actions == [(USER, "typing")]
    assert [c.status for c in fake_api.failures()] == [502, 500, 403]


async def test_file_upload_and_download_round_trip(fake_api):
    fake_api.user(USER)
    incoming = fake_api.send_document(USER, "cv.pdf", b"%PDF-1.4 resume", "application/pdf")
    async with bot_for(fake_api) as bot:
        file = await bot.get_file(incoming["document"]["file_id"])
        assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 resume"
        sent = await bot.send_document(
            USER,
            b"feedback text",
            filename="review.txt",
            caption="<b>Review</b>",
            parse_mode="HTML",
        )
        photo = await bot.send_photo(USER, b"\x89PNG fake")
        uploaded = await bot.get_file(sent.document.file_id)
        assert bytes(await uploaded.download_as_bytearray()) == b"feedback text"
        with pytest.raises(BadRequest, match="Invalid file_id"):
            await bot.get_file("no-such-file")
    assert (sent.caption, sent.document.file_name) == ("Review", "review.txt")
    record = fake_api.sent_messages(USER, "sendDocument")[0]
    assert record.files["document"].content == b"feedback text"
    assert photo.photo[0].file_id in fake_api.files
