"""The generator's command line, including every bad-input case of the issue."""

import os

import docx
import ruamel.yaml

from conftest import EXAMPLES
from policygen.kommuner import lookup_kommun
from policygen.profile.load import load_profile


def test_generate_one_document_by_key(cli, tmp_path):
    code, out, err = cli("generate", EXAMPLES / "markaryd.yaml", "--doc", "policy", "-o", tmp_path)
    assert code == 0, err
    assert [p.name for p in tmp_path.iterdir()] == ["markaryd-policy-och-riktlinjer.docx"]


def test_doc_type_name_also_selects_the_ljungby_verksamhetsplan(cli, tmp_path):
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "--doc", "handlingsplan", "-o", tmp_path)
    assert code == 0, err
    assert [p.name for p in tmp_path.iterdir()] == ["ljungby-verksamhetsplan.docx"]


def test_markdown_preview_has_the_same_content(cli, tmp_path):
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "--format", "md", "-o", tmp_path)
    assert code == 0, err
    text = (tmp_path / "ljungby-verksamhetsplan.md").read_text(encoding="utf-8")
    assert text.startswith("# Verksamhetsplan för socialt entreprenörskap\n")
    assert "## Uppföljning" in text and "| Aktivitet | Ansvarig | Tidpunkt | Indikator |" in text
    assert "[^1]:" in text and "Slussen och Spiket" in text


def test_style_can_be_switched_on_the_command_line(cli, tmp_path):
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "--style", "markaryd", "-o", tmp_path)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ljungby-handlingsplan.docx",
                                                          "ljungby-policy-och-riktlinjer.docx"]


def test_existing_file_is_not_overwritten_without_force(cli, tmp_path):
    target = tmp_path / "ljungby-policy.docx"
    target.write_bytes(b"the official's own edits")
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path)
    assert code == 2
    assert "finns redan" in err and "--force" in err and "Traceback" not in err
    assert target.read_bytes() == b"the official's own edits"
    assert not (tmp_path / "ljungby-verksamhetsplan.docx").exists()  # all checked before any write
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path, "--force")
    assert code == 0 and target.read_bytes()[:2] == b"PK"


def test_a_crash_while_writing_leaves_no_half_written_file(cli, tmp_path, monkeypatch):
    def broken_fsync(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", broken_fsync)
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path)
    assert code == 2 and "disken inte är full" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_yaml_syntax_error_exit_2_with_place(cli, tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("stil: ljungby\nkommun: [Ljungby\n", encoding="utf-8")
    code, _, err = cli("generate", bad, "-o", tmp_path / "ut")
    assert code == 2
    assert f"{bad}:3:" in err and "YAML-syntaxfel" in err and "Traceback" not in err


def test_missing_profile_file(cli, tmp_path):
    code, _, err = cli("generate", tmp_path / "finns-inte.yaml", "-o", tmp_path)
    assert code == 2 and "finns inte" in err


def _profile_without(tmp_path, dotted):
    yaml = ruamel.yaml.YAML()
    data = yaml.load((EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8"))
    node = data
    *parents, last = dotted.split(".")
    for part in parents:
        node = node[part]
    del node[last]
    path = tmp_path / "profil.yaml"
    with open(path, "w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return path


def test_clause_that_needs_a_missing_field_names_clause_and_field(cli, tmp_path):
    path = _profile_without(tmp_path, "dokument.handlingsplan")
    code, _, err = cli("generate", path, "-o", tmp_path / "ut")
    assert code == 2
    assert "klausulen 'handlingsplan-beslut'" in err and "'dokument.handlingsplan.beslutad_av'" in err
    assert not (tmp_path / "ut").exists() or not any((tmp_path / "ut").iterdir())


def test_unknown_style_lists_the_valid_ones(cli, tmp_path):
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "--style", "växjö", "-o", tmp_path)
    assert code == 2 and "okänd stil" in err and "ljungby, markaryd" in err


def test_unknown_doc_type_lists_the_valid_ones(cli, tmp_path):
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "--doc", "riktlinje", "-o", tmp_path)
    assert code == 2 and "policy, verksamhetsplan" in err


def test_unknown_clause_id_lists_the_valid_ones(cli):
    code, _, err = cli("clauses", "show", "upphandling-reserverat")
    assert code == 2 and "okänd klausul" in err and "upphandling-reserverad" in err


def test_unknown_style_in_profile_lists_the_valid_ones(cli, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text((EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8").replace("stil: ljungby", "stil: alvesta"),
                    encoding="utf-8")
    code, _, err = cli("generate", path, "-o", tmp_path / "ut")
    line = path.read_text(encoding="utf-8").splitlines().index("stil: alvesta") + 1
    assert code == 2 and "välj något av: markaryd, ljungby" in err and f"p.yaml:{line}:1:" in err


def test_template_syntax_in_profile_values_is_printed_literally(cli, tmp_path):
    text = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8")
    text = text.replace("forum: Samverkansforum för social ekonomi",
                        "forum: \"Forum {{ 7*7 }} {% for x in range(3) %}x{% endfor %}\"")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = cli("generate", path, "--format", "md", "-o", tmp_path / "ut")
    assert code == 0, err
    output = (tmp_path / "ut" / "ljungby-verksamhetsplan.md").read_text(encoding="utf-8")
    assert "Forum {{ 7*7 }} {% for x in range(3) %}x{% endfor %}" in output
    assert "Forum 49" not in output


def test_control_characters_in_profile_values_never_corrupt_the_docx(cli, tmp_path):
    text = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8")
    text = text.replace("forum: Samverkansforum för social ekonomi", 'forum: "Forum\\x07 för\\x1b social & <ekonomi>"')
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = cli("generate", path, "-o", tmp_path / "ut")
    assert code == 0, err
    document = docx.Document(str(tmp_path / "ut" / "ljungby-verksamhetsplan.docx"))
    assert any("Forum för social & <ekonomi>" in p.text for p in document.paragraphs)


def test_reference_docx_keeps_the_municipal_template(cli, tmp_path):
    template = docx.Document()
    section = template.sections[0]
    from docx.shared import Cm
    section.left_margin = Cm(3.3)
    section.header.paragraphs[0].text = "KOMMUNLOGGA"
    template.styles["Heading 1"].font.name = "Georgia"
    template.add_paragraph("Mallens exempeltext som inte ska följa med")
    template_path = tmp_path / "kommunmall.docx"
    template.save(str(template_path))
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "--doc", "policy",
                       "--reference-docx", template_path, "-o", tmp_path / "ut")
    assert code == 0, err
    result = docx.Document(str(tmp_path / "ut" / "ljungby-policy.docx"))
    assert round(result.sections[0].left_margin.cm, 1) == 3.3
    assert result.styles["Heading 1"].font.name == "Georgia"
    header = [p.text for p in result.sections[0].header.paragraphs]
    # The template's own header stays first; the document's line stands beside it.
    assert header[0] == "KOMMUNLOGGA\tDnr KS 2026/0877 · Version 1.0"
    assert header[1] == "Ljungby kommun – Policy för sociala företag"
    assert all("exempeltext" not in p.text for p in result.paragraphs)
    assert result.paragraphs[0].style.name == "Title"


def test_reference_docx_that_is_not_a_docx(cli, tmp_path):
    fake = tmp_path / "mall.docx"
    fake.write_text("inte en zip", encoding="utf-8")
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "--reference-docx", fake, "-o", tmp_path / "ut")
    assert code == 2 and "inte en giltig .docx" in err


def test_init_writes_a_starter_profile_from_the_kommun_table(cli, tmp_path):
    target = tmp_path / "ljungby.yaml"
    code, out, err = cli("init", "--kommun", "Ljungby", "-o", target)
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert 'kommunkod: "0781"' in text and "Kronobergs län" in text and "Region Kronoberg" in text
    assert "TODO" in text
    profile = load_profile(target)  # valid as it stands, with TODO markers to fill in
    assert profile.data["kommun"]["kommunkod"] == lookup_kommun("Ljungby").kod
    assert profile.open_items
    code, _, err = cli("generate", target, "--format", "md", "-o", tmp_path / "ut")
    assert code == 2 and not (tmp_path / "ut").exists()
    code, _, err = cli("generate", target, "--utkast", "--format", "md", "-o", tmp_path / "ut")
    assert code == 0, err


def test_init_for_an_unknown_kommun(cli, tmp_path):
    code, _, err = cli("init", "--kommun", "Atlantis", "-o", tmp_path / "x.yaml")
    assert code == 2 and "okänd kommun" in err
    assert not (tmp_path / "x.yaml").exists()


def test_init_refuses_to_overwrite(cli, tmp_path):
    target = tmp_path / "p.yaml"
    target.write_text("mitt arbete", encoding="utf-8")
    code, _, err = cli("init", "--kommun", "Ljungby", "-o", target)
    assert code == 2 and target.read_text(encoding="utf-8") == "mitt arbete"


def test_clauses_list_and_show(cli):
    code, out, _ = cli("clauses", "list")
    assert code == 0
    header = out.splitlines()[0]
    assert header.split() == ["ID", "ÄMNE", "RUBRIK", "TÄCKER", "DOKUMENTTYPER", "STILAR"]
    assert any(line.startswith("upphandling-reserverad") for line in out.splitlines())
    code, out, _ = cli("clauses", "show", "upphandling-reserverad")
    assert code == 0
    assert "4 kap. 18 §" in out and "upphandling.reserverade_kontrakt" in out and "upphandling" in out
    assert "fakta.paragraf.reserverade_kontrakt = 4 kap. 18 §" in out
    assert "fakta.regel.reserverade_kontrakt_andel.share_percent = 30" in out


def test_usage_errors_are_swedish_and_exit_2(cli):
    code, _, err = cli("generate")
    assert code == 2 and "dessa argument krävs" in err


def test_every_generated_example_passes_lint_at_warning_level(cli, generated):
    # Issue 10 item 7: no LIX, klarspråk, fact or coverage finding at warning level or above.
    code, out, err = cli("lint", *sorted(generated.values()), "--min-severity", "warning", "--quiet")
    assert code == 0, out
