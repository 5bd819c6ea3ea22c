"""Loaders read real PDF, DOCX, Markdown, text and YAML files and reject bad ones with a clear reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import DocumentError, InputError
from assistant.retrieval.loaders import load_document
from tests.docfiles import encrypt_pdf, make_docx, make_pdf


def test_pdf_keeps_page_numbers_and_title(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "std.pdf",
        [["1 Scope", "1.1 This standard covers shafts."], ["2 Tolerances", "2.1 Journals are made to IT6."]],
        title="Shaft standard",
    )
    loaded = load_document(path)
    assert loaded.doc == "std.pdf"
    assert loaded.title == "Shaft standard"
    assert [p.number for p in loaded.pages] == [1, 2]
    assert "IT6" in loaded.pages[1].text


def test_pdf_image_only_pages_are_counted_not_indexed(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "scan.pdf", [["1 Scope", "1.1 Text page."], [], ["2 More", "2.1 Text again."]], image_only={2}
    )
    loaded = load_document(path)
    assert loaded.image_only_pages == 1
    assert [p.number for p in loaded.pages] == [1, 3]
    assert any("no text layer" in w for w in loaded.warnings)


def test_pdf_with_no_text_layer_at_all_is_an_error(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scanned.pdf", [[], []], image_only={1, 2})
    with pytest.raises(DocumentError, match=r"scanned\.pdf: none of its 2 pages has a text layer"):
        load_document(path)


def test_encrypted_pdf_needs_its_password(tmp_path: Path) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", [["1 Scope", "1.1 Secret drawing notes."]])
    locked = encrypt_pdf(plain, tmp_path / "locked.pdf", "s3cret")
    with pytest.raises(DocumentError, match=r"locked\.pdf: the PDF is encrypted; give its password with --password"):
        load_document(locked)
    with pytest.raises(DocumentError, match="password is wrong"):
        load_document(locked, password="nope")
    assert "Secret drawing notes" in load_document(locked, password="s3cret").pages[0].text


@pytest.mark.parametrize("content", [b"", b"%PDF-1.4\n garbage that is not a pdf", b"\x00\x01\x02" * 50])
def test_broken_pdf_names_the_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=r"^broken\.pdf: "):
        load_document(path)


def test_running_headers_and_page_numbers_are_stripped(tmp_path: Path) -> None:
    pages = [["ACME STD 12-2020", f"{n}.1 Clause text number {n}.", f"Page {n}"] for n in range(1, 5)]
    loaded = load_document(make_pdf(tmp_path / "running.pdf", pages))
    text = "\n".join(p.text for p in loaded.pages)
    assert "ACME STD" not in text and "Page 3" not in text
    assert "3.1 Clause text number 3." in text


def test_docx_headings_and_tables(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "notes.docx",
        "Drawing notes",
        [("1 General", ["1.1 Material Steel 45.", "1.2 Hardness HRC 40..45."])],
        table=[["Feature", "IT"], ["F1", "6"]],
    )
    loaded = load_document(path)
    body = loaded.pages[0].text
    assert loaded.title == "Drawing notes"
    assert "## 1 General" in body and "1.2 Hardness HRC 40..45." in body
    assert "| F1 | 6 |" in body


def test_corrupt_docx_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DocumentError, match=r"^bad\.docx: not a readable DOCX"):
        load_document(path)


def test_markdown_front_matter_tolerates_colons(tmp_path: Path) -> None:
    path = tmp_path / "fits.md"
    path.write_text("---\ntitle: Fits: IT grades and use\nkind: standard\n---\n# Fits\n\n## 1 Scope\n1.1 Text.\n")
    loaded = load_document(path)
    assert loaded.title == "Fits: IT grades and use"
    assert loaded.kind == "standard"


def test_empty_and_non_utf8_text(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_text("  \n")
    (tmp_path / "latin.txt").write_bytes("Stahl für Wellen".encode("cp1252") + b"\xff\xfe")
    with pytest.raises(DocumentError, match=r"empty\.md: the file is empty"):
        load_document(tmp_path / "empty.md")
    with pytest.raises(DocumentError, match=r"latin\.txt: not UTF-8"):
        load_document(tmp_path / "latin.txt")


def test_yaml_catalogue_entries_become_named_sections(tmp_path: Path) -> None:
    path = tmp_path / "catalog" / "equipment.yaml"
    path.parent.mkdir()
    path.write_text(
        "machines:\n  - {model: 16K20, type: lathe, max_diameter: 400}\n  - {model: 3M151, type: grinder}\n"
    )
    loaded = load_document(path)
    assert loaded.kind == "catalogue"
    clauses = [b for b in loaded.blocks if b.kind == "clause"]
    assert [b.number for b in clauses] == ["16K20", "3M151"]
    assert "max_diameter: 400" in clauses[0].text


def test_unsupported_type_and_kind(tmp_path: Path) -> None:
    (tmp_path / "a.odt").write_text("x")
    (tmp_path / "a.md").write_text("# A\n\ntext\n")
    with pytest.raises(InputError, match="unsupported file type '.odt'"):
        load_document(tmp_path / "a.odt")
    with pytest.raises(InputError, match="unknown document kind 'manual'"):
        load_document(tmp_path / "a.md", kind="manual")
