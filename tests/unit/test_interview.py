"""Mock-interview grading by meaning (real embedding model), question picking, the service.

The answers below are the calibration set kept as tests: paraphrases that share few words
with the talking points, and poor answers that repeat the question's terms but say nothing.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from bot.config import PROJECT_ROOT
from bot.core.interview.service import (
    InterviewError,
    InterviewService,
    PointVectorCache,
    answer_pieces,
    grade_answer,
    pick_question,
    render_feedback_text,
)
from bot.core.store import Store
from bot.knowledge.banks import InterviewQuestion, load_interview_bank

NOW = datetime(2025, 5, 10, 12, 0, tzinfo=UTC)

ANSWERS = {
    "int-tech-008": {  # p-values
        "good": "It's the chance of getting a result this extreme or more if the null hypothesis "
        "were actually true. When it's small, that counts as evidence against the null. "
        "People often think it tells you the probability the null is true, which is "
        "wrong. It also doesn't tell you how big or meaningful the effect is. And if you "
        "test lots of hypotheses you will get false positives by chance unless you apply "
        "something like Bonferroni.",
        "poor": "A p-value is a value in statistics. It is used in data science a lot and people "
        "misinterpret it sometimes.",
    },
    "int-tech-015": {  # overfitting
        "good": "I'd look at the score on the training set next to the score on a validation set "
        "the model never saw. If training accuracy is way higher than validation "
        "accuracy, it's memorising rather than generalising. Plotting learning curves "
        "tells me whether collecting more examples would help. I'd use k-fold cross "
        "validation instead of trusting one split. To fix it I'd get more data, add "
        "regularization, simplify the model, or stop training early.",
        "poor": "Overfitting is bad and you should avoid it. You can tell when the model "
        "overfits because it is overfitting.",
    },
    "int-tech-007": {  # processes, threads, the GIL
        "good": "A process gets its own memory, whereas threads in the same process share it. "
        "Python has the GIL, so only one thread executes bytecode at any moment. So for "
        "heavy computation in pure Python I'd use multiprocessing or a "
        "ProcessPoolExecutor. Threads are still fine when you mostly wait on the network "
        "or disk. NumPy and PyTorch drop the GIL in their C code, so they can use "
        "multiple cores anyway.",
        "poor": "Processes and threads are both ways to run things. I would make my code faster "
        "by using a better computer.",
    },
    "int-beh-003": {  # behavioural: no ML job experience
        "good": "I haven't worked in an ML job, but I spent two years as a data analyst, which "
        "is closely related. For example, I cleaned messy customer data and built churn "
        "reports in SQL and Python, and that kind of data preparation is most of the "
        "work in ML. I've also done several end-to-end ML projects for my portfolio and "
        "a couple of Kaggle competitions. I write clean, tested code and use git every "
        "day. I pick things up fast, and this internship is exactly how I want to get "
        "real ML experience.",
        "poor": "I don't really have relevant experience but I am very motivated and I will "
        "work hard.",
    },
}


@pytest.fixture(scope="module")
def bank() -> dict[str, InterviewQuestion]:
    return {q.id: q for q in load_interview_bank(PROJECT_ROOT / "knowledge" / "interview")}


@pytest.mark.parametrize("qid", sorted(ANSWERS))
def test_good_paraphrase_covers_most_points_and_poor_answer_few(qid, bank, embedder):
    question = bank[qid]
    good = grade_answer(question, ANSWERS[qid]["good"], embedder)
    poor = grade_answer(question, ANSWERS[qid]["poor"], embedder)
    points = len(question.talking_points)
    assert len(good.covered) >= 0.6 * points, good.similarities
    assert good.score >= 60
    assert len(poor.covered) <= 1, poor.similarities
    assert poor.score <= 20
    assert good.score - poor.score >= 50
    assert not good.off_topic and not poor.off_topic
    assert sorted(good.covered + good.missed) == sorted(question.talking_points)


@pytest.mark.parametrize(
    "qid, answer",
    [
        ("int-tech-008", "A p-value is a value in statistics that is used a lot."),
        ("int-tech-008", "A p-value is a value in statistics."),
        ("int-tech-025", "Regularisation is a technique for regularising a model."),
        ("int-tech-001", "A hash map is a data structure that maps keys to values."),
    ],
)
def test_restating_the_question_earns_little(qid, answer, bank, embedder):
    # Raw cosine would put each of these around 0.65-0.85 from a talking point.
    feedback = grade_answer(bank[qid], answer, embedder)
    assert len(feedback.covered) <= 1 and feedback.score <= 20, feedback.similarities


def test_off_topic_answer_scores_zero_with_a_kind_message(bank, embedder):
    feedback = grade_answer(
        bank["int-tech-015"],
        "My favourite food is pizza and I enjoy hiking in the mountains at "
        "the weekend with my friends.",
        embedder,
    )
    assert feedback.off_topic and feedback.score == 0 and feedback.covered == []
    assert "no worries" in feedback.message.lower()
    assert feedback.model_answer == bank["int-tech-015"].model_answer


@pytest.mark.parametrize("answer", ["", "   ", "idk", "no idea 🤷", "?!"])
def test_empty_or_very_short_answer_scores_zero_without_embedding(bank, answer):
    class NoEmbedder:
        name = "none"

        def embed_query(self, text):
            raise AssertionError("should not embed")

        embed_documents = embed_query

    feedback = grade_answer(bank["int-tech-007"], answer, NoEmbedder())
    assert feedback.too_short and feedback.score == 0
    assert feedback.missed == list(bank["int-tech-007"].talking_points)
    assert "short" in feedback.message


def test_talking_point_vectors_are_embedded_once_per_question(bank, embedder):
    class Counting:
        name = "counting"

        def __init__(self):
            self.batches = []

        def embed_query(self, text):
            return embedder.embed_query(text)

        def embed_documents(self, texts):
            self.batches.append(list(texts))
            return embedder.embed_documents(texts)

    counting, cache = Counting(), PointVectorCache()
    question = bank["int-tech-007"]
    first = grade_answer(question, ANSWERS["int-tech-007"]["good"], counting, cache)
    second = grade_answer(question, ANSWERS["int-tech-007"]["good"], counting, cache)
    with_points = [b for b in counting.batches if question.talking_points[0] in b]
    assert len(with_points) == 1
    assert len(counting.batches) == 3  # points once, the answer twice
    assert first.similarities == second.similarities


def test_answer_pieces_are_sentences_and_their_clauses():
    pieces = answer_pieces(
        "Arrays are contiguous in memory, so they are cache friendly. Lists are not!\nNew line here"
    )
    assert "Arrays are contiguous in memory, so they are cache friendly." in pieces
    assert "so they are cache friendly." in pieces or "they are cache friendly." in pieces
    assert "Arrays are contiguous in memory" in pieces
    assert "New line here" in pieces and "Lists are not!" in pieces


def test_render_feedback_text_lists_points_and_the_model_answer(bank, embedder):
    question = bank["int-tech-008"]
    feedback = grade_answer(question, ANSWERS["int-tech-008"]["good"], embedder)
    text = render_feedback_text(feedback)
    assert text.startswith(f"Score: {feedback.score}/100")
    assert all(point in text for point in question.talking_points)
    assert question.model_answer in text
    assert len(text) <= 4096


# -- picking questions --------------------------------------------------------------------


def iq(qid: str, kind: str = "technical") -> InterviewQuestion:
    return InterviewQuestion(qid, kind, "ml", f"{qid}?", ("a", "b", "c"), "Model.")


SMALL = [iq("t1"), iq("t2"), iq("t3"), iq("b1", "behavioural"), iq("b2", "behavioural")]


def test_pick_question_avoids_recently_asked_ones():
    rng = random.Random(0)
    picks = {pick_question(SMALL, ["t1", "b1", "t3"], rng=rng).id for _ in range(30)}
    assert picks == {"t2", "b2"}


def test_pick_question_filters_by_kind_and_accepts_aliases():
    rng = random.Random(0)
    assert {pick_question(SMALL, [], "behavioral", rng).id for _ in range(20)} == {"b1", "b2"}
    assert pick_question(SMALL, ["t1", "t3"], "tech", rng).id == "t2"
    with pytest.raises(InterviewError):
        pick_question(SMALL, [], "cooking", rng)


def test_when_every_question_was_asked_the_oldest_comes_back():
    history = ["t2", "t1", "t3", "t2"]  # newest first: t3 is the least recent
    assert pick_question(SMALL, history, "technical", random.Random(0)).id == "t3"


# -- the service --------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'interview.sqlite3'}")
    yield s
    s.close()


def test_service_records_scores_and_does_not_repeat_questions(store, bank, embedder):
    service = InterviewService(store.interviews, bank.values(), embedder)
    asked = [service.next_question(5, rng=random.Random(i)).id for i in range(10)]
    assert len(set(asked)) == 10
    feedback = service.grade(5, "int-tech-008", ANSWERS["int-tech-008"]["good"], now=NOW)
    results = store.interviews.interview_results(5)
    assert [(r.question_id, r.score) for r in results] == [("int-tech-008", feedback.score)]
    assert service.grade(5, "int-tech-008", "ok", now=NOW).too_short
    assert len(store.interviews.interview_results(5)) == 1  # a slip is not recorded as a zero
    with pytest.raises(InterviewError):
        service.grade(5, "no-such-question", "A long enough answer about nothing.", now=NOW)
