"""Index and search through a real `chroma run` server on loopback."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from assistant.errors import EmptyIndexError, VectorStoreError
from assistant.retrieval import vectors
from assistant.retrieval.index import KnowledgeIndex
from tests.conftest import make_settings
from tests.docfiles import make_pdf
from tests.servers import free_port, running

pytestmark = [pytest.mark.chroma_server, pytest.mark.slow]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    command = [chroma, "run", "--path", str(folder / "data"), "--host", "127.0.0.1", "--port", str(port)]
    env = {"ANONYMIZED_TELEMETRY": "False", "CHROMA_ANONYMIZED_TELEMETRY": "False"}
    with running(command, f"http://127.0.0.1:{port}/api/v2/heartbeat", folder / "chroma.log", env=env):
        yield port


def test_ingest_and_search_through_a_chroma_server(chroma_server: int, tmp_path: Path, embeddings) -> None:
    settings = make_settings(tmp_path / "home", chroma_host="127.0.0.1", chroma_port=chroma_server)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "grinding.md").write_text(
        "# Grinding\n\n## 3 Wheels\n3.1 White fused alumina 25A wheels grind unhardened and hardened steel.\n"
    )
    make_pdf(
        docs / "honing.pdf", [["1 Scope", "1.1 Honing."], ["2 Honing", "2.1 Honing of cylinder bores reaches Ra 0.2."]]
    )
    index = KnowledgeIndex(settings, embeddings)
    report = index.ingest([docs])
    assert report.count("added") == 2
    assert not settings.chroma_path.exists(), "no embedded store is created in server mode"

    top = index.search("honing of cylinder bores", k=1)[0]
    assert (top.doc, top.page, top.section) == ("honing.pdf", 2, "2.1")
    assert len(vectors.all_ids(index.collection)) == 3

    index.remove("honing.pdf")
    assert len(vectors.all_ids(KnowledgeIndex(settings, embeddings).collection)) == 1


def test_unreachable_chroma_server_is_a_clear_error(tmp_path: Path, embeddings) -> None:
    settings = make_settings(tmp_path / "home", chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(VectorStoreError, match=r"cannot open the Chroma collection at server 127\.0\.0\.1:\d+"):
        KnowledgeIndex(settings, embeddings).collection


def test_a_chroma_server_that_goes_away_is_not_an_empty_index(tmp_path: Path, embeddings) -> None:
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    command = [chroma, "run", "--path", str(tmp_path / "data"), "--host", "127.0.0.1", "--port", str(port)]
    settings = make_settings(tmp_path / "home", chroma_host="127.0.0.1", chroma_port=port)
    (tmp_path / "grinding.md").write_text("# Grinding\n\n## 3 Wheels\n3.1 Alumina wheels grind hardened steel.\n")
    env = {"ANONYMIZED_TELEMETRY": "False", "CHROMA_ANONYMIZED_TELEMETRY": "False"}
    with running(command, f"http://127.0.0.1:{port}/api/v2/heartbeat", tmp_path / "chroma.log", env=env):
        index = KnowledgeIndex(settings, embeddings)
        index.ingest([tmp_path / "grinding.md"])
        assert index.search("grinding wheels", k=1)
    with pytest.raises(VectorStoreError, match="cannot be queried") as caught:
        index.search("which wheel grinds hardened steel?", k=1)
    assert not isinstance(caught.value, EmptyIndexError)
