"""Export the local sentence-transformers model to ONNX once (install.sh runs this), so queries need no torch.

    python -m assistant.retrieval.onnx_export [--model FOLDER] [--force]

The graph is the Hugging Face encoder with the model's mean pooling and L2 normalisation inside; the tokenizer is
the one sentence-transformers uses, saved beside it. Before the export is put in place its embeddings are compared
with sentence-transformers' on sample texts (one longer than max_seq_length): more than TOLERANCE apart on any
component and nothing is written, and prepro keeps using torch.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import warnings
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.retrieval.embeddings import (
    EXPORT_INFO,
    ONNX_FILE,
    TOKENIZER_FILE,
    OnnxEncoder,
    _sentence_transformer,
    bundled_embedding_model,
    exported_onnx,
    offline_transformers,
    onnx_folder,
    weights_stamp,
)

TOLERANCE = 1e-5  # largest difference allowed on any component of a unit-length embedding
OPSET = 17
SAMPLES = [
    "roughness of fine turning",
    "Which fit for a rolling bearing seat on a shaft?",
    "3.1.2 Fine turning reaches the fine end of its range (Ra 0.1-0.4) only on aluminium and copper alloys.",
    "Hardening and tempering of 40Kh steel: quench from 850 °C in oil, temper at 500-550 °C.",
    "x",
    "",
    # longer than 256 word pieces: checks the truncation
    " ".join(["The allowance for grinding after heat treatment depends on the diameter and the length."] * 40),
]


def export_onnx(model_dir: Path, out_path: Path) -> None:
    """Write the ONNX graph of a sentence-transformers model folder (BERT-like encoder, mean pooling, normalise)."""
    offline_transformers()
    import torch
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    # traced with a padded row, so that the graph keeps the attention mask whatever the inputs
    ids = torch.tensor([[101, 7592, 2088, 2003, 1037, 3231, 102], [101, 7592, 102, 0, 0, 0, 0]], dtype=torch.long)
    mask = (ids != 0).long()
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "sequence"} for name in names} | {"sentence_embedding": {0: "batch"}}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled().eval(),
            (ids, mask, torch.zeros_like(ids)),
            str(out_path),
            input_names=names,
            output_names=["sentence_embedding"],
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def _model(model_dir: Path) -> Any:
    from sentence_transformers import SentenceTransformer

    offline_transformers()
    return SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)


def max_difference(folder: Path, model_dir: Path, texts: list[str]) -> float:
    """Largest absolute difference, over every component, between the export's and torch's embeddings."""
    import numpy as np

    onnx = OnnxEncoder(folder).encode([t.replace("\n", " ") for t in texts])
    torch_vectors = np.asarray(_sentence_transformer(str(model_dir)).embed_documents(texts), dtype=np.float32)
    return float(np.abs(onnx - torch_vectors).max())


def export(model_dir: Path, force: bool = False) -> tuple[Path, float | None]:
    """Export, check and install the ONNX model of a folder; returns its folder and the difference (None: kept)."""
    current = exported_onnx(model_dir)
    if current is not None and not force:
        return current, None
    final = onnx_folder(model_dir)
    work = final.with_name(final.name + ".tmp")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        export_onnx(model_dir, work / ONNX_FILE)
        model = _model(model_dir)
        model.tokenizer.backend_tokenizer.save(str(work / TOKENIZER_FILE))  # the tokenizer torch's path uses
        info = {
            "model_dir": str(model_dir.resolve()),
            "stamp": weights_stamp(model_dir),
            "max_seq_length": int(model.max_seq_length),
            "opset": OPSET,
        }
        (work / EXPORT_INFO).write_text(json.dumps(info, indent=2), encoding="utf-8")
        difference = max_difference(work, model_dir, SAMPLES)
        if difference > TOLERANCE:
            raise ConfigError(
                f"the ONNX export of {model_dir} differs from sentence-transformers by {difference:.2e} "
                f"(> {TOLERANCE:.0e}); not installed, prepro keeps using torch"
            )
        info["max_abs_difference"] = difference
        (work / EXPORT_INFO).write_text(json.dumps(info, indent=2), encoding="utf-8")
        shutil.rmtree(final, ignore_errors=True)
        work.rename(final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final, difference


def main(argv: list[str] | None = None) -> int:
    """Command line: export the bundled model (or --model FOLDER) unless an up-to-date export exists."""
    parser = argparse.ArgumentParser(
        prog="python -m assistant.retrieval.onnx_export", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--model", type=Path, help="sentence-transformers model folder (default: the bundled MiniLM)")
    parser.add_argument("--force", action="store_true", help="export again even when an up-to-date export exists")
    args = parser.parse_args(argv)
    model_dir = args.model or bundled_embedding_model()
    try:
        folder, difference = export(model_dir, force=args.force)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if difference is None:
        print(f"ONNX embedding model up to date in {folder}")
    else:
        print(
            f"ONNX embedding model written to {folder} (max abs difference to sentence-transformers {difference:.1e})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
