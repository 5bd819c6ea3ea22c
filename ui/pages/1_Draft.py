"""Draft with a stage: fill in its input (a part form, a request, a plan), draft, look at the result, and save it
as a version for review."""

from __future__ import annotations

from typing import Any, Literal, get_args, get_origin

import pandas as pd
import streamlit as st
import yaml
from shared import act, can, findings_banner, get_assistant, logged_in, provider_picker, reported, show_notice

from assistant.api import ROW, EditConflict, Feature, Finding, PartSpec, rows_of

user = logged_in()
helper = get_assistant()
workspace = helper.workspace
STAGES = helper.stages(user.role if can(user, "draft") else None)  # an author sees the stages their role drafts
PART_STAGES = {"routing", "design"}
UPLOAD_TYPES = {"routing": ["yaml", "yml", "json", "csv"], "design": ["yaml", "yml", "json", "csv"]}
FEATURES = [
    "id", "type", "diameter", "length", "fit", "it", "upper", "lower", "ra", "count", "designation", "function",
    "width", "depth", "height", "through", "internal", "flatness", "module", "teeth", "face_width", "accuracy",
]  # fmt: skip
FLAGS = {"yes": True, "no": False}  # through / internal: yes, no, or not given
PART_FIELDS = ("id", "name", "kind", "material", "blank", "hardness", "annual_volume", "batch_size", "notes")


def choices(model: Any, name: str) -> list[str]:
    """The values a Literal field of a pydantic model takes (`kind`, `blank`, `type`, `function`)."""
    annotation = model.model_fields[name].annotation
    literals = [a for a in (annotation, *get_args(annotation)) if get_origin(a) is Literal]
    return [value for literal in literals for value in get_args(literal)]


KINDS, BLANKS = choices(PartSpec, "kind"), choices(PartSpec, "blank")
TYPES, FUNCTIONS = choices(Feature, "type"), choices(Feature, "function")


# ---- the part form: widgets keyed `part.<field>`, the feature table from `features` ----------------------------
def load_part(record: dict[str, Any]) -> str:
    """Put a part's record into the form (fields not in the form are kept and drafted too)."""
    state = st.session_state
    state["part.base"] = record
    state["part.kind"] = record.get("kind") or "other"
    state["part.blank"] = record.get("blank") or ""
    state["part.annual_volume"] = int(record.get("annual_volume") or 1000)
    state["part.batch_size"] = int(record.get("batch_size") or 0)
    for name in ("id", "name", "material", "hardness", "notes"):
        state[f"part.{name}"] = str(record.get(name) or "")
    flag = {True: "yes", False: "no"}
    state["features"] = [
        {k: flag.get(v) if k in {"through", "internal"} else v for k, v in f.items()}
        for f in record.get("features", [])
    ]
    state["features.generation"] = state.get("features.generation", 0) + 1  # a new table, not edits of the old
    return f"loaded part {record.get('id', '')} into the form"


def plain(value: Any) -> Any:
    """A table cell as a JSON value: numpy numbers as Python numbers, blanks as None."""
    value = value.item() if hasattr(value, "item") else value
    return None if value is None or value == "" or (isinstance(value, float) and value != value) else value


def feature_table() -> list[dict[str, Any]]:
    rows = pd.DataFrame(st.session_state.get("features", []), columns=FEATURES)
    number = st.column_config.NumberColumn
    edited = st.data_editor(
        rows,
        key=f"features-{st.session_state.get('features.generation', 0)}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "type": st.column_config.SelectboxColumn("type", options=TYPES, required=True),
            "function": st.column_config.SelectboxColumn("function", options=FUNCTIONS),
            "through": st.column_config.SelectboxColumn("through", options=list(FLAGS)),
            "internal": st.column_config.SelectboxColumn("internal", options=list(FLAGS)),
            "fit": st.column_config.TextColumn("fit", help="ISO fit such as h6, H7, P9 (or give IT alone)"),
            "it": number("IT", min_value=1, max_value=18, step=1),
            **{
                name: number(f"{name}, mm", step=0.0001, help=f"{name} limit deviation from the nominal size, mm")
                for name in ("upper", "lower")
            },
            "ra": number("Ra, µm", min_value=0.01, max_value=100),
            "count": number("count", min_value=1, step=1),
            **{name: number(f"{name}, mm", min_value=0) for name in ("diameter", "length", "width", "depth", "height")},
        },
    )
    features = []
    for row in edited.to_dict("records"):
        values = {k: plain(v) for k, v in row.items()}
        feature = {
            k: FLAGS.get(v, v) if k in {"through", "internal"} else v for k, v in values.items() if v is not None
        }
        if feature:
            features.append(feature)
    return features


def part_form() -> dict[str, Any]:
    """The part spec the form shows (a record the stage validates when it drafts)."""
    state = st.session_state
    for name, default in {"kind": "other", "blank": "", "annual_volume": 1000, "batch_size": 0}.items():
        state.setdefault(f"part.{name}", default)
    left, middle, right = st.columns(3)
    left.text_input("Part id", key="part.id", help="letters, digits, '.', '-', '_'")
    middle.text_input("Name", key="part.name")
    right.selectbox("Kind", KINDS, key="part.kind")
    left.text_input("Material", key="part.material", help="a grade of the catalogue, e.g. Steel 45, 40Kh, SCh20")
    middle.selectbox("Blank", ["", *BLANKS], key="part.blank", format_func=lambda b: b or "(chosen by the rules)")
    right.text_input("Hardness", key="part.hardness", help="e.g. HRC 40..45 or HB 200")
    left.number_input("Annual volume", min_value=1, step=100, key="part.annual_volume")
    middle.number_input("Batch size (0: from the volume)", min_value=0, step=10, key="part.batch_size")
    st.text_area("Drawing notes", key="part.notes", height=68)
    st.markdown("**Features** — one row per machined feature")
    fields = {name: state.get(f"part.{name}") for name in PART_FIELDS}
    fields["blank"] = fields["blank"] or None
    fields["batch_size"] = fields["batch_size"] or None
    record = {**state.get("part.base", {}), **fields, "features": feature_table()}
    return {k: v for k, v in record.items() if v not in (None, "")}


# ---- where an input comes from: a sample, a file, or words -----------------------------------------------------
def loaded(stage: str, record: Any) -> str:
    """Put a raw input into the stage's form."""
    if stage in PART_STAGES:
        return load_part(record)
    if stage == "research":
        st.session_state["research.text"] = record.get("request", "") if isinstance(record, dict) else str(record)
        return "loaded the request"
    st.session_state["plan.yaml"] = yaml.safe_dump(record, sort_keys=False, allow_unicode=True)
    return f"loaded plan {record.get('id', '')}"


def sources_of_input(stage: str) -> None:
    samples = helper.samples(stage)
    left, right = st.columns(2)
    if samples:
        with left:
            name = st.selectbox("Sample", list(samples), key=f"sample-{stage}")
            st.button(
                "Load the sample",
                on_click=act,
                args=(lambda: loaded(stage, helper.read_input(stage, name)),),
                key=f"load-sample-{stage}",
            )
    with right:
        types = UPLOAD_TYPES.get(stage, ["yaml", "yml", "json"] + (["txt"] if stage == "research" else []))
        upload = st.file_uploader("... or a file", type=types, key=f"upload-{stage}")
        if upload is not None:
            read = lambda: loaded(stage, helper.read_input(stage, upload.name, upload.getvalue()))  # noqa: E731
            st.button("Load the file", on_click=act, args=(read,), key=f"load-file-{stage}")
    if stage in PART_STAGES:
        with st.expander("... or describe the part in words (needs an LLM)"):
            text = st.text_area("Description", key="part.description")
            read = lambda: load_part(helper.extract_part(text, provider).model_dump(mode="json", exclude_none=True))  # noqa: E731
            st.button("Read it into the form", on_click=act, args=(read,), disabled=not text.strip())


def stage_input(stage: str) -> Any:
    """The input as the form has it now (None: nothing to draft yet)."""
    if stage in PART_STAGES:
        return part_form()
    if stage == "research":
        text = st.text_area("The product request, in words", key="research.text", height=150)
        return text.strip() or None
    text = st.text_area("The plan (YAML, ORG_PLAN.md)", key="plan.yaml", height=300)
    if not text.strip():
        return None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        st.error(f"the plan is not valid YAML: {' '.join(str(exc).split())}")
        return None


# ---- drafting, the result, saving ---------------------------------------------------------------------------
def draft(stage: str, source: Any) -> None:
    st.session_state.pop("drafted", None)  # a failed draft leaves no old result on screen
    st.session_state.pop("conflict", None)
    bar = st.progress(0.0, text=f"Drafting ({stage})")

    def show(done: int, total: int, what: str) -> None:
        bar.progress(done / total if total else 1.0, text=f"{what}: {done} of {total}")

    with reported():
        made = helper.draft(stage, source, provider=provider, progress=show, user=user)
        st.session_state["drafted"] = {"stage": stage, "input": source, "draft": made.model_dump(mode="json")}
    bar.empty()


def save(drafted: dict[str, Any], expected: int | None) -> None:
    try:
        saved = workspace.save_version(
            user, drafted["stage"], drafted["draft"], drafted["input"], expected, note="drafted"
        )
    except EditConflict as exc:
        st.session_state["conflict"] = (exc.current_version, exc.author, exc.changes)
        return
    st.session_state["review_id"] = saved.draft_id
    st.session_state.pop("conflict", None)
    st.switch_page("pages/2_Review.py")


def result(drafted: dict[str, Any], stale: bool) -> None:
    stage, content = drafted["stage"], drafted["draft"]
    findings = [Finding.model_validate(f) for f in content.get("findings", [])]
    st.subheader(f"The draft — by {content.get('provider', 'offline')}")
    if stale:
        st.warning("The input changed since this draft was made: it is stale. Draft again before saving it.")
    findings_banner(findings)
    rows = pd.DataFrame(rows_of(stage, content, findings))
    if not rows.empty:
        st.dataframe(rows.drop(columns=[ROW]), hide_index=True, width="stretch")
    with st.expander("The whole draft"), reported():
        st.markdown(helper.export(stage, content, "md", drafted["input"]).decode())
    may_save = can(user, "edit") and not stale
    with reported():
        first = st.session_state.get("conflict") is None
        if first and st.button("Save as a version and review it", type="primary", disabled=not may_save):
            save(drafted, None)
        if (conflict := st.session_state.get("conflict")) is not None:
            version, author, changes = conflict
            st.warning(f"This draft is already saved, at version {version} (last by {author}). Its changes since:")
            st.code(changes or "(no field differs)", language="diff")
            if st.button(f"Save as version {version + 1}", type="primary", disabled=not may_save):
                save(drafted, version)


st.title("Draft")
show_notice()
stage = st.selectbox("Stage", list(STAGES), format_func=lambda name: f"{name} — {STAGES[name]}", key="stage")
provider = provider_picker()
if not can(user, "draft"):
    st.info(f"Your role ({user.role}) reviews drafts; engineers and technologists draft them.")
sources_of_input(stage)
source = stage_input(stage)
if st.button("Draft", type="primary", disabled=source is None or not can(user, "draft")):
    draft(stage, source)
drafted = st.session_state.get("drafted")
if drafted is not None:
    result(drafted, stale=drafted["stage"] != stage or drafted["input"] != source)
