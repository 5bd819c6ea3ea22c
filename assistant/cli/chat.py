"""Question answering commands: ask (one question) and chat (a conversation in the terminal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from assistant.cli.common import FORMAT_OPTION, Format, assistant, console, err_console, print_json

if TYPE_CHECKING:
    from assistant.api import Answer

PROVIDER_OPTION = typer.Option(None, "--provider", "-p", help="offline, local, openai or openai-compatible.")


def _print_sources(answer: Answer) -> None:
    for warning in answer.warnings:
        err_console.print(f"[yellow]warning[/yellow] {warning}", highlight=False)
    if answer.citations:
        console.print("\nSources:", style="bold")
    for c in answer.citations:
        where = ", ".join(x for x in (f"§{c.section}" if c.section else "", f"p. {c.page}" if c.page else "") if x)
        console.print(f"  [{c.n}] {c.doc}{' ' + where if where else ''} — {c.title}", highlight=False)
    usage = answer.usage
    console.print(
        f"{answer.provider} · {usage.total_tokens} tokens · ${usage.cost_usd:.4f} · "
        f"{usage.calls} LLM calls ({usage.cached_calls} cached)",
        style="dim",
        highlight=False,
    )


def ask(
    question: str = typer.Argument(..., help="The question."),
    provider: str | None = PROVIDER_OPTION,
    k: int = typer.Option(5, "-k", help="Passages to retrieve."),
    format: Format = FORMAT_OPTION,
) -> None:
    """Answer a question from the indexed documents, with citations."""
    answer = assistant().ask(question, provider=provider, k=k)
    if format is Format.json:
        print_json(answer)
        return
    console.print(answer.answer, highlight=False)
    _print_sources(answer)


def chat(provider: str | None = PROVIDER_OPTION, k: int = typer.Option(5, "-k")) -> None:
    """Talk with the standards in the terminal (empty line, 'exit' or Ctrl-D to leave)."""
    from assistant.api import Answer, Turn

    helper = assistant()
    history: list[Turn] = []
    console.print("prepro chat — answers come only from the indexed documents. Empty line to leave.", style="dim")
    while True:
        try:
            question = console.input("[bold]you>[/bold] ").strip()
        except EOFError:
            break
        if question.lower() in {"", "exit", "quit"}:
            break
        answer: Answer | None = None
        for item in helper.stream(question, history, provider=provider, k=k):
            if isinstance(item, Answer):
                answer = item
            else:
                console.print(item, end="", highlight=False, soft_wrap=True)
        console.print()
        if answer is not None:
            _print_sources(answer)
            history += [Turn(role="user", content=question), Turn(role="assistant", content=answer.answer)]


def register(app: typer.Typer) -> None:
    """Add the question-answering commands to the root app."""
    app.command()(ask)
    app.command()(chat)
