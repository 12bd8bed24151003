"""The optional LLM generator, with a fake chat model: never a network call."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from bot.config import get_settings
from bot.core.answers.generator import NOT_IN_SOURCES, AnswerGenerator


class ExplodingChatModel(FakeListChatModel):
    async def ainvoke(self, *args, **kwargs):  # noqa: D401 - the endpoint is down
        raise ConnectionError("endpoint unreachable")


async def test_generated_answer_uses_the_passages(answer_service):
    extractive = answer_service.answer("kaggle worth it?")
    model = FakeListChatModel(responses=["Yes: Kaggle gives you 50,000 public datasets [1]."])
    generated = await AnswerGenerator(model).rewrite(extractive)
    assert generated.generated and generated.text.startswith("Yes: Kaggle")
    assert generated.sources == extractive.sources
    messages = AnswerGenerator.messages(extractive)
    assert "ONLY" in messages[0].content and extractive.sources[0].text in messages[1].content


async def test_endpoint_failure_falls_back_to_extractive(answer_service):
    extractive = answer_service.answer("kaggle worth it?")
    result = await AnswerGenerator(ExplodingChatModel(responses=["x"])).rewrite(extractive)
    assert result is extractive and not result.generated


async def test_model_saying_not_in_sources_keeps_extractive(answer_service):
    extractive = answer_service.answer("kaggle worth it?")
    result = await AnswerGenerator(FakeListChatModel(responses=[NOT_IN_SOURCES])).rewrite(
        extractive
    )
    assert result.text == extractive.text and not result.generated


async def test_declines_are_never_sent_to_the_model(answer_service):
    declined = answer_service.answer("will it rain tomorrow in paris")
    model = FakeListChatModel(responses=["It will be sunny."])
    assert (await AnswerGenerator(model).rewrite(declined)) is declined


def test_generator_is_off_by_default():
    assert AnswerGenerator.from_settings(get_settings()) is None
    on = get_settings(CAREERBOT_LLM_BASE_URL="http://127.0.0.1:9/v1", CAREERBOT_LLM_MODEL="m")
    assert AnswerGenerator.from_settings(on) is not None
