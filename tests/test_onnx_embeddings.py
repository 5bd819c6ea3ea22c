"""The torch-free query path: the ONNX export of MiniLM gives sentence-transformers' vectors, falls back to torch
when missing or broken, and the CLI starts without importing the heavy libraries."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.retrieval import embeddings as emb
from assistant.retrieval.onnx_export import TOLERANCE, export

INSTALLED = emb.ONNX_DIR  # where install.sh exports (read before any test points the module elsewhere)

# never imported by `import assistant.cli` (so `prepro --help` stays well under a second)
HEAVY = (
    "torch",
    "transformers",
    "sentence_transformers",
    "langchain_huggingface",
    "langchain_openai",
    "langchain_core",
    "chromadb",
    "onnxruntime",
    "bm25s",
    "sqlalchemy",
    "alembic",
    "pypdf",
    "docx",
    "openpyxl",
    "streamlit",
)


def _modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """Top-level modules loaded by running `code` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300, env=env
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_library() -> None:
    loaded = _modules_after("import assistant.cli")
    assert not loaded & set(HEAVY), f"`import assistant.cli` loads {sorted(loaded & set(HEAVY))}"


def test_importing_the_api_loads_no_heavy_library() -> None:
    loaded = _modules_after("import assistant, assistant.api")
    assert not loaded & set(HEAVY), f"`import assistant.api` loads {sorted(loaded & set(HEAVY))}"


def test_lazy_names_still_resolve() -> None:
    import assistant
    import assistant.api as api
    from assistant import Answer, Assistant, PreproRetriever, Settings, Usage
    from assistant.api import BatchResult, Finding, IngestReport, Passage, Severity, Source, Turn, count

    assert Assistant is api.Assistant and Settings.__name__ == "Settings"
    assert {Answer.__name__, PreproRetriever.__name__, Usage.__name__} == {"Answer", "PreproRetriever", "Usage"}
    assert [BatchResult, Finding, IngestReport, Passage, Severity, Source, Turn, count]
    assert set(assistant.__all__) <= set(dir(assistant))
    with pytest.raises(AttributeError):
        _ = assistant.NotAThing  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        _ = api.NotAThing


# ---- equality with sentence-transformers ------------------------------------------------------------


def _corpus_texts(repo_root: Path) -> list[str]:
    """Paragraphs of the shipped Markdown corpus, and long runs of them (past the 256 word pieces MiniLM reads)."""
    paragraphs = [
        p.strip()
        for path in sorted((repo_root / "knowledge" / "corpus").glob("*.md"))
        for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))
        if len(p.strip()) > 20
    ]
    short = paragraphs[::2][:260]
    long = ["\n".join(paragraphs[i : i + 12]) for i in range(0, 12 * 40, 12)]
    return short + long


@pytest.fixture(scope="module")
def onnx_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh export of the bundled model in a folder of its own (the installed one is left alone)."""
    folder = tmp_path_factory.mktemp("onnx")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(emb, "ONNX_DIR", folder)
        emb._local_model.cache_clear()
        export(emb.bundled_embedding_model())
        yield folder
    emb._local_model.cache_clear()


@pytest.mark.slow
def test_onnx_embeddings_equal_sentence_transformers(
    onnx_dir: Path, repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model_dir = emb.bundled_embedding_model()
    local = emb.get_embeddings(Settings(_env_file=None))  # type: ignore[call-arg]
    assert isinstance(local, emb.LocalEmbeddings)
    monkeypatch.setattr(emb, "TORCH_AFTER", 10**9)  # every text through ONNX
    monkeypatch.setattr(local, "_torch", lambda: pytest.fail("the ONNX path loaded torch"))
    encoder = local._onnx_encoder()
    assert encoder is not None and encoder.max_seq_length == 256  # sentence_bert_config.json of the model
    texts = _corpus_texts(repo_root)
    truncated = sum(len(e.ids) == 256 for e in encoder.tokenizer.encode_batch(texts))
    assert len(texts) >= 250 and truncated >= 30, (len(texts), truncated)

    reference = emb._sentence_transformer(str(model_dir))  # what the index used before: HuggingFaceEmbeddings
    expected = np.asarray(reference.embed_documents(texts))
    got = np.asarray(local.embed_documents(texts))
    queries = ["roughness of fine turning", "Which fit for a rolling bearing seat on a shaft?", texts[-1]]
    query_diff = max(
        float(np.abs(np.asarray(local.embed_query(q)) - np.asarray(reference.embed_query(q))).max()) for q in queries
    )
    difference = float(np.abs(got - expected).max())
    print(
        f"max abs difference over {len(texts)} texts ({truncated} truncated): {difference:.2e}; queries {query_diff:.2e}"
    )
    assert got.shape == expected.shape == (len(texts), 384)
    assert difference <= TOLERANCE and query_diff <= TOLERANCE


@pytest.mark.slow
def test_documents_switch_to_torch_after_many_texts(
    onnx_dir: Path, monkeypatch: pytest.MonkeyPatch, repo_root: Path
) -> None:
    local = emb.LocalEmbeddings(emb.bundled_embedding_model(), emb.onnx_folder(emb.bundled_embedding_model()))
    texts = _corpus_texts(repo_root)[:8]
    monkeypatch.setattr(emb, "TORCH_AFTER", 10)
    used: list[str] = []
    real_torch = local._torch
    monkeypatch.setattr(local, "_torch", lambda: used.append("torch") or real_torch())
    first, second = local.embed_documents(texts), local.embed_documents(texts)  # 8 texts, then 16 > 10
    assert used == ["torch"]
    assert np.abs(np.asarray(first) - np.asarray(second)).max() <= TOLERANCE


# ---- fallback -----------------------------------------------------------------------------------------


@pytest.fixture
def no_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(emb, "ONNX_DIR", tmp_path / "onnx")
    emb._local_model.cache_clear()
    yield tmp_path / "onnx"
    emb._local_model.cache_clear()


def test_missing_or_stale_export_is_not_used(no_export: Path, tmp_path: Path) -> None:
    model_dir = emb.bundled_embedding_model()
    assert emb.exported_onnx(model_dir) is None  # missing
    folder = emb.onnx_folder(model_dir)
    folder.mkdir(parents=True)
    for name in (emb.ONNX_FILE, emb.TOKENIZER_FILE):
        (folder / name).write_bytes(b"x")
    stamp = emb.weights_stamp(model_dir)
    info = {"model_dir": str(model_dir.resolve()), "stamp": stamp, "max_seq_length": 256}
    (folder / emb.EXPORT_INFO).write_text(json.dumps(info), encoding="utf-8")
    assert emb.exported_onnx(model_dir) == folder
    (folder / emb.EXPORT_INFO).write_text(json.dumps(info | {"stamp": stamp | {"size": 1}}), encoding="utf-8")
    assert emb.exported_onnx(model_dir) is None  # made from other weights


@pytest.mark.slow
def test_without_export_local_embeddings_use_sentence_transformers(no_export: Path) -> None:
    local = emb.get_embeddings(Settings(_env_file=None))  # type: ignore[call-arg]
    assert local is emb._sentence_transformer(str(emb.bundled_embedding_model()))
    assert len(local.embed_query("roughness of fine turning")) == 384


@pytest.mark.slow
def test_broken_export_falls_back_to_torch(no_export: Path, caplog: pytest.LogCaptureFixture) -> None:
    model_dir = emb.bundled_embedding_model()
    folder = emb.onnx_folder(model_dir)
    folder.mkdir(parents=True)
    for name in (emb.ONNX_FILE, emb.TOKENIZER_FILE):
        (folder / name).write_bytes(b"not a model")
    info = {"model_dir": str(model_dir.resolve()), "stamp": emb.weights_stamp(model_dir), "max_seq_length": 256}
    (folder / emb.EXPORT_INFO).write_text(json.dumps(info), encoding="utf-8")
    local = emb.get_embeddings(Settings(_env_file=None))  # type: ignore[call-arg]
    assert isinstance(local, emb.LocalEmbeddings)
    vector = local.embed_query("roughness of fine turning")
    assert "using torch" in caplog.text
    expected = emb._sentence_transformer(str(model_dir)).embed_query("roughness of fine turning")
    assert vector == expected


# ---- the installed export and a search without torch ----------------------------------------------------


@pytest.fixture
def installed_export() -> Path:
    """The export install.sh made; missing is a failure under CI (install.sh must make it), a skip elsewhere."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(emb, "ONNX_DIR", INSTALLED)
        folder = emb.exported_onnx(emb.bundled_embedding_model())
    if folder is None:
        reason = (
            "no up-to-date ONNX export of the embedding model: run .venv/bin/python -m assistant.retrieval.onnx_export"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return folder


@pytest.mark.slow
def test_ingest_and_search_without_torch(installed_export: Path, tmp_path: Path) -> None:
    doc = tmp_path / "turning.md"
    doc.write_text(
        "# Turning\n\n## 1 Roughness\n\n1.1 Fine turning gives Ra 0.4-0.8 on steel.\n\n"
        "## 2 Tools\n\n2.1 Carbide inserts are used for finishing passes.\n",
        encoding="utf-8",
    )
    code = (
        "from assistant.api import Assistant\n"
        f"a = Assistant()\na.ingest([{str(doc)!r}])\n"
        "assert a.search('roughness of fine turning', k=1, mode='dense')[0].section == '1.1'"
    )
    env = os.environ | {"PREPRO_HOME": str(tmp_path / "home")}
    loaded = _modules_after(code, env=env)
    assert "onnxruntime" in loaded
    assert not loaded & {"torch", "transformers", "sentence_transformers"}
