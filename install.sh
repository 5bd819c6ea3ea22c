#!/usr/bin/env bash
# Install prepro and everything it needs into .venv, from PyPI-compatible indexes only (no model downloads).
# - torch is pinned to the CPU build first, so nothing pulls a multi-GB CUDA build;
# - llama-cpp-python (the local LLM path) is built portable, once, and the wheel is cached: the native
#   build crashed on some CPUs on prompts over ~64 tokens.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=${PREPRO_VENV:-.venv}
LLAMA_VERSION=0.3.36
WHEELS=${PREPRO_WHEEL_CACHE:-$HOME/.cache/prepro/wheels}

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
PIP="$VENV/bin/python -m pip"
$PIP install -q --upgrade pip
$PIP install -q "torch==2.13.0"

if ! ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
  echo "building llama-cpp-python $LLAMA_VERSION (portable CPU build, ~4 min, cached in $WHEELS)"
  mkdir -p "$WHEELS"
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF" \
    $PIP wheel -q --no-cache-dir --no-deps "llama-cpp-python==$LLAMA_VERSION" -w "$WHEELS"
fi
$PIP install -q --no-deps "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl
$PIP install -q -e ".[local,dev]"
"$VENV/bin/python" -m assistant.retrieval.onnx_export || echo "warning: MiniLM not exported to ONNX; queries will load torch" >&2
echo "prepro installed in $VENV: run $VENV/bin/prepro --help"
