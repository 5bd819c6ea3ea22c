"""The LLM judge on a scripted chat model: verdicts cached (a warm re-run makes no call), a reply that does not
fit retried once then counted, each repeat its own sample."""

from __future__ import annotations

from pathlib import Path

from assistant.evaluation.judge import Judge
from assistant.store import open_store
from tests.conftest import make_settings
from tests.scripted import prompt_text, scripted_provider


def _judge(tmp_path: Path, replies: list[str], seen: list) -> Judge:
    settings = make_settings(tmp_path / "home")
    store = open_store(settings)
    llm = scripted_provider(lambda messages: replies.pop(0) if replies else '{"score": 5}', seen)(settings, store)
    return Judge(llm, store)


def test_verdicts_are_cached_by_inputs_and_repeat(tmp_path: Path) -> None:
    seen: list = []
    judge = _judge(tmp_path, ['{"score": 5, "reason": "all claims read"}', '{"score": 2, "reason": "40 absent"}'], seen)
    assert judge.supports("The shaft is 40 mm", "Shaft diameter 40 mm.")
    assert "Shaft diameter 40 mm." in prompt_text(seen[0]) and "<statement>" in prompt_text(seen[0])
    assert not judge.supports("The bore is 52 mm", "Shaft diameter 40 mm.")
    assert judge.supports("The shaft is 40 mm", "Shaft diameter 40 mm.")  # cached: no third call
    assert len(seen) == 2 and judge.stats == {"calls": 2, "cached": 1, "retries": 0, "failures": 0}
    judge.sample = 1  # the next repeat is a fresh sample
    judge.supports("The shaft is 40 mm", "Shaft diameter 40 mm.")
    assert len(seen) == 3


def test_a_reply_that_does_not_fit_is_retried_once_then_counted(tmp_path: Path) -> None:
    seen: list = []
    judge = _judge(tmp_path, ["looks fine to me", '{"score": 4}'], seen)
    assert judge.supports("The shaft is 40 mm", "Shaft diameter 40 mm.")
    assert judge.stats["retries"] == 1 and judge.stats["failures"] == 0
    judge = _judge(tmp_path / "b", ["no", '{"score": 9}'], seen)
    assert not judge.supports("The shaft is 40 mm", "Shaft diameter 40 mm.")
    assert judge.stats["failures"] == 1 and judge.stats["calls"] == 2
    assert not judge.supports("The shaft is 40 mm", "Shaft diameter 40 mm.")  # the failure is cached too
    assert judge.stats["failures"] == 2 and judge.stats["calls"] == 2 and judge.stats["cached"] == 1
