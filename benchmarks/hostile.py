"""Hostile-input benchmark: what each attack from issue 14 costs now.

    PYTHONPATH=src python benchmarks/hostile.py            # every case
    PYTHONPATH=src python benchmarks/hostile.py zip mall   # only cases whose name holds a word

Builds every hostile input the issue lists in a temporary folder, runs the
real command line on it in a new process and prints the issue's item number,
the exit code, the time and the peak memory (maximum resident set of that
process, from wait4). Target: every run ends with exit 0, 1 or 2 (130 for an
interrupt), at once, under 500 MB. Nothing outside the temporary folder is
touched: `-o /dev/null --force` is measured on a FIFO and a symbolic link of
our own instead, since a regression would damage /dev/null for everyone.
Items 10 (file modes) and 11 (interrupts) have no hostile input to measure;
tests/test_output_files.py and tests/test_interrupts.py cover them. Run as
root, the read-only folder (9) and the unreadable file and folder (5, 19) are
readable and writable anyway; their figures are then those of a normal run.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from deep_folders import deep_folder, remove_deep_folder  # noqa: E402

EXAMPLES = ROOT / "examples"
TARGET_MB = 500
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f'<w:document xmlns:w="{_W_NS}"><w:body>'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DRAFT = ("Riktlinje för samverkan med sociala företag\n\n"
         "Kommunstyrelsen äger frågan och näringslivsenheten samordnar arbetet.\n\n"
         "Kommunen följer upp samverkan med de sociala företagen varje år.\n")


# -- builders ----------------------------------------------------------------------------------------------

def _billion_laughs() -> str:
    lines = ["lol0: &lol0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    lines += [f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 10)}]" for n in range(1, 9)]
    return "\n".join(lines) + "\n"


def _docx(path: Path, body: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", _W + body + "</w:body></w:document>")
    return path


def _word_document() -> bytes:
    """Word's default document as python-docx writes it: a whole package."""
    import docx

    buffer = io.BytesIO()
    word = docx.Document()
    word.add_heading("Riktlinje för samverkan med sociala företag", 0)
    word.add_paragraph("Kommunstyrelsen äger frågan och näringslivsenheten samordnar arbetet.")
    word.save(buffer)
    return buffer.getvalue()


def _edited(package: bytes, edits: dict | None = None, parts: dict[str, bytes] | None = None,
            duplicate: str | None = None) -> bytes:
    """A copy of a package with parts edited (name → function of the XML), parts
    added, and one member written twice."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if edits and item.filename in edits:
                data = edits[item.filename](data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
            if item.filename == duplicate:
                import warnings
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # zipfile warns of the duplicate we want
                    target.writestr(item, data)
        for name, data in (parts or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def _broken_deflate(package: bytes) -> bytes:
    """The package with bytes in the middle of word/document.xml's deflate stream overwritten."""
    data = bytearray(package)
    start = data.find(b"word/document.xml")  # the local header's name; the stream follows it
    middle = start + 40
    data[middle:middle + 24] = b"\xff" * 24
    return bytes(data)


def _lie_about_packed_size(path: Path) -> Path:
    data = bytearray(path.read_bytes())
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        struct.pack_into("<I", data, start + 20, 200 * 1024 * 1024)
        start += 4
    path.write_bytes(bytes(data))
    return path


def _zip_bomb(path: Path, megabytes: int) -> Path:
    """A DOCX whose body unpacks to `megabytes` MB of spaces: about a thousandth of that packed.
    Written in chunks, so building it costs no memory."""
    chunk = " " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(_W.encode())
            for _ in range(megabytes):
                member.write(chunk.encode())
            member.write(b"</w:body></w:document>")
    return path


def _sparse(path: Path, megabytes: int) -> Path:
    with open(path, "wb") as handle:
        handle.truncate(megabytes * 1024 * 1024)
    return path


def _profile(folder: Path, name: str, old: str, new: str) -> Path:
    text = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8")
    assert old in text, old
    path = folder / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _hostile_template(clean: bytes) -> bytes:
    rels = (f'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
            f'Target="vbaProject.bin"/><Relationship Id="rIdX" Type="{_REL}/customXml" Target="../customXml/i.xml"/>'
            f'<Relationship Id="rIdAx" Type="{_REL}/control" Target="activeX/activeX1.xml"/>'
            f'<Relationship Id="rIdOut" Type="{_REL}/hyperlink" Target="http://example.invalid/" '
            'TargetMode="External"/>')
    settings_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
                     '"http://schemas.openxmlformats.org/package/2006/relationships">'
                     f'<Relationship Id="rIdTpl" Type="{_REL}/attachedTemplate" Target="file://server/makro.dotm" '
                     'TargetMode="External"/></Relationships>')
    return _edited(clean, {
        "word/_rels/document.xml.rels": lambda xml: xml.replace("</Relationships>", rels + "</Relationships>"),
        "word/settings.xml": lambda xml: re.sub(r"(<w:settings[^>]*>)", r'\1<w:attachedTemplate r:id="rIdTpl"/>',
                                                xml, count=1)},
        {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 makro", "customXml/i.xml": b"<data/>",
         "word/activeX/activeX1.xml": b"<ax/>", "word/_rels/settings.xml.rels": settings_rels.encode()})


def _header_with_only_a_table(path: Path) -> Path:
    import docx

    word = docx.Document()
    header = word.sections[0].header
    header._element.remove(header.paragraphs[0]._element)
    header.add_table(1, 2, docx.shared.Cm(10))
    word.save(str(path))
    return path


def _with_digits_in_ids(package: bytes) -> bytes:
    """A paragraph style and a footnote whose ids are Arabic-Indic digits."""
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{_W_NS}">'
                 '<w:footnote w:id="٣"><w:p><w:r><w:t>Fotnot med konstigt id.</w:t></w:r></w:p></w:footnote>'
                 "</w:footnotes>")
    return _edited(package, {
        "word/styles.xml": lambda xml: xml.replace(
            "</w:styles>", '<w:style w:type="paragraph" w:styleId="١٢"><w:name w:val="١٢"/></w:style></w:styles>'),
        "word/document.xml": lambda xml: xml.replace(
            "<w:body>", '<w:body><w:p><w:pPr><w:pStyle w:val="١٢"/></w:pPr><w:r><w:t>Text</w:t></w:r>'
                        '<w:r><w:footnoteReference w:id="٣"/></w:r></w:p>', 1)},
        {"word/footnotes.xml": footnotes.encode()})


def _moved_and_hidden(package: bytes) -> bytes:
    """Text moved away (w:moveFrom) and hidden text (w:vanish) beside ordinary text."""
    return _edited(package, {"word/document.xml": lambda xml: xml.replace("<w:body>", (
        '<w:body><w:p><w:moveFrom w:id="1" w:author="x"><w:r><w:t>Bortflyttad mening som inte gäller.</w:t></w:r>'
        '</w:moveFrom></w:p><w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>Dold text som inte syns.</w:t></w:r></w:p>'),
        1)})


def _deep_folder_with_draft(root: Path) -> Path:
    deep_folder(root, 1500)
    (root / "utkast.txt").write_text(DRAFT, encoding="utf-8")
    return root


def _cases(folder: Path) -> list[dict]:
    """Every hostile input of issue 14: item number, name, arguments, and how the run is set up."""
    draft = folder / "utkast.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    out = str(folder / "ut")
    ljungby = str(EXAMPLES / "ljungby.yaml")
    word = _word_document()
    fifo = folder / "rör.yaml"
    os.mkfifo(fifo)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "uttag.yaml"))  # the path stays a socket after the builder exits
    sock.close()
    cases: list[dict] = []

    def case(item: str, name: str, *arguments: str, **setup) -> None:
        cases.append({"item": item, "name": name, "arguments": [str(a) for a in arguments], **setup})

    # 1-6: security
    traversal = _profile(folder, "traversal.yaml", "namn: Ljungby", 'namn: "../../X"')
    case("1", "kommun name ../../X", "generate", traversal, "-o", out, "--format", "md", "--utkast", "--force")
    escapes = folder / "escape.txt"
    escapes.write_text("Policy\n\n\x1b]0;titel\x07\x1b[2J\x1b[31mKommunen skall stödja sociala företag.\n",
                       encoding="utf-8")
    case("2", "terminal escapes in a draft", "lint", escapes)
    config = folder / "regler-av.yaml"
    config.write_text("regler:\n  av: [klarspråk, FA05]\n", encoding="utf-8")
    case("3", "configuration switching rules off", "lint", draft, "--config", config)
    hostile_template = folder / "makromall.docx"
    hostile_template.write_bytes(_hostile_template(word))
    case("4", "template with macros, links, ActiveX, custom XML", "generate", ljungby, "-o", out, "--doc", "policy",
         "--reference-docx", hostile_template, "--force")
    linked = folder / "länkmapp"
    linked.mkdir()
    (linked / "eget.txt").write_text(DRAFT, encoding="utf-8")
    (linked / "värd.txt").symlink_to("/etc/hostname")
    (linked / "upp").symlink_to(folder)
    locked = linked / "låst"
    locked.mkdir()
    (locked / "inne.txt").write_text(DRAFT, encoding="utf-8")
    locked.chmod(0)
    case("5", "folder with links out and an unreadable subfolder", "lint", linked)
    case("6", "(for comparison: first run, empty cache)", "lint", draft,
         env={"POLICYGEN_CACHE": str(folder / "tom-cache")})
    bad_cache = folder / "cache"
    case("6", "cache entries planted (garbage, FIFO, huge, links)", "lint", draft, env={"POLICYGEN_CACHE":
                                                                                    str(bad_cache)},
         plant_cache=True)

    # 7-10: no data lost
    output_fifo = folder / "utrör.txt"
    os.mkfifo(output_fifo)
    case("7", "FIFO as output with --force", "lint", draft, "-o", output_fifo, "--force")
    (folder / "länk.txt").symlink_to(folder / "mål.txt")
    (folder / "mål.txt").write_text("orörd", encoding="utf-8")
    case("7", "symbolic link as output with --force", "init", "--kommun", "Ljungby", "-o", folder / "länk.txt",
         "--force")
    renamed = folder / "profiler"
    renamed.mkdir()
    (renamed / "0764.yaml").write_text("kommun:\n  namn: Upplands Väsby\n", encoding="utf-8")
    case("8", "--all-kommuner, Alvesta renamed Upplands Väsby", "generate", EXAMPLES / "gemensam.yaml",
         "--all-kommuner", "--profiler", renamed, "-o", folder / "land", "--format", "md", "--doc", "policy",
         "--quiet")
    own = folder / "egen"
    own.mkdir()
    (own / "ljungby-policy.md").write_text((EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    case("8", "output onto its own profile with --force", "generate", own / "ljungby-policy.md", "-o", own,
         "--doc", "policy", "--format", "md", "--force")
    readonly = folder / "skrivskyddad"
    readonly.mkdir()
    readonly.chmod(0o500)
    case("9", "read-only output folder", "generate", ljungby, "-o", readonly, "--format", "md")

    # 12-15: bounded resources
    big_profile = _sparse(folder / "stor.yaml", 6)
    arv_zero = folder / "arv-noll.yaml"
    arv_zero.write_text("arv: /dev/zero\n", encoding="utf-8")
    arv_fifo = folder / "arv-rör.yaml"
    arv_fifo.write_text(f"arv: {fifo.name}\n", encoding="utf-8")
    case("12", "/dev/zero as profile", "generate", "/dev/zero", "-o", out)
    case("12", "/dev/zero as arv target", "generate", arv_zero, "-o", out)
    case("12", "/dev/zero as --config", "lint", draft, "--config", "/dev/zero")
    case("12", "/dev/zero as --reference-docx", "generate", ljungby, "-o", out, "--reference-docx", "/dev/zero")
    case("12", "/dev/zero as draft", "lint", "/dev/zero")
    case("12", "FIFO as profile", "generate", fifo, "-o", out)
    case("12", "FIFO as arv target", "generate", arv_fifo, "-o", out)
    case("12", "FIFO as --config", "lint", draft, "--config", fifo)
    case("12", "FIFO as draft", "lint", fifo)
    case("12", "socket as profile", "generate", folder / "uttag.yaml", "-o", out)
    case("12", "6 MB profile", "generate", big_profile, "-o", out)
    case("12", "6 MB configuration", "lint", draft, "--config", _sparse(folder / "stor-config.yaml", 6))
    case("12", "60 MB template", "generate", ljungby, "-o", out, "--reference-docx", _sparse(folder / "stor.docx", 60))
    case("12", "60 MB draft", "lint", _sparse(folder / "stort.txt", 60))
    laughs = folder / "skratt.yaml"
    laughs.write_text("kommun:\n  namn: Ljungby\n" + _billion_laughs(), encoding="utf-8")
    laughing_config = folder / "skratt-config.yaml"
    laughing_config.write_text(_billion_laughs(), encoding="utf-8")
    case("13", "billion laughs, profile (4 kB)", "generate", laughs, "-o", out)
    case("13", "billion laughs, --config", "lint", draft, "--config", laughing_config)
    huge_number = _profile(folder, "tal.yaml", 'kommunkod: "0781"', "kommunkod: " + "9" * 5000)
    case("13", "integer of 5 000 digits in a profile", "generate", huge_number, "-o", out)
    lying = _lie_about_packed_size(_docx(folder / "lögn.docx", "<w:p/>" * (40 * 1024 * 1024 // 6)))
    lying_template = _lie_about_packed_size(_docx(folder / "lögnmall.docx", "<w:p/>" * (40 * 1024 * 1024 // 6)))
    case("14", "zip lying about packed size, draft", "lint", lying)
    case("14", "zip lying about packed size, template", "generate", ljungby, "-o", out, "--reference-docx",
         lying_template)
    bomb = _zip_bomb(folder / "bomb.docx", 1024)
    case("14", f"zip bomb, 1 GB in {bomb.stat().st_size / 1e6:.1f} MB, draft", "lint", bomb)
    case("14", "zip bomb, template", "generate", ljungby, "-o", out, "--reference-docx", bomb)
    many = _docx(folder / "många.docx", "<w:p><w:r><w:t>Kommunen samverkar.</w:t></w:r></w:p>" * 400_000)
    case("15", f"DOCX with 400 000 paragraphs ({many.stat().st_size / 1e6:.1f} MB)", "lint", many)
    runs = _docx(folder / "körningar.docx", "<w:p>" + "<w:r><w:t>ord </w:t></w:r>" * 400_000 + "</w:p>")
    case("15", "DOCX paragraph of 400 000 runs", "lint", runs)
    # Few paragraphs, but an element flood: empty bookmarks and run properties
    # that count against no paragraph or character limit.
    flood = _docx(folder / "elementflod.docx", "<w:p>" + "<w:bookmarkStart/><w:bookmarkEnd/>" * 750_000
                  + "<w:r><w:t>Policy</w:t></w:r></w:p>")
    case("15", f"DOCX with 1 500 000 empty elements ({flood.stat().st_size / 1e6:.1f} MB)", "lint", flood)
    lines = folder / "rader.txt"
    lines.write_text("Policy\n\n" + "Kommunen samverkar.\n\n" * 200_000, encoding="utf-8")
    case("15", "text draft of 200 000 paragraphs", "lint", lines)

    # 16-19: no tracebacks
    case("16", "kommun name with NUL", "generate", _profile(folder, "nul.yaml", "namn: Ljungby", 'namn: "Lj\\0ungby"'),
         "-o", out, "--format", "md", "--utkast", "--force")
    long_name = _profile(folder, "lång.yaml", "namn: Ljungby", f"namn: {'Å' * 10_000}")
    case("16", "kommun name of 10 000 characters", "generate", long_name, "-o", out, "--format", "md", "--utkast",
         "--force")
    case("16", "kommun name of 10 000 characters, DOCX (Word's field limits)", "generate", long_name, "-o", out,
         "--doc", "policy", "--utkast", "--force")
    surrogate = _profile(folder, "surrogat.yaml", "kopplad_policy: näringslivspolicyn",
                         'kopplad_policy: "n\\ud800ringslivspolicyn"')
    case("16", "lone surrogate in a value, --format md", "generate", surrogate, "-o", out, "--format", "md")
    case("16", "path argument of 5 000 characters", "lint", folder / ("x" * 5000 + ".txt"))
    (folder / "a.yaml").write_text("arv: b.yaml\n", encoding="utf-8")
    (folder / "b.yaml").write_text("arv: a.yaml\n", encoding="utf-8")
    case("16", "arv loop", "generate", folder / "a.yaml", "-o", out)
    bad_arv = folder / "arv-nul.yaml"
    bad_arv.write_text('arv: "a\\0b.yaml"\n', encoding="utf-8")
    case("16", "arv path with NUL", "generate", bad_arv, "-o", out)
    case("16", "folder 1 500 levels deep", "lint", _deep_folder_with_draft(folder / "djup"), "--quiet")
    odd_names = folder / "namn"
    odd_names.mkdir()
    with open(os.path.join(os.fsencode(odd_names), b"utkast-\xff\xfe.txt"), "w", encoding="utf-8") as handle:
        handle.write(DRAFT)
    case("16", "file name that is not UTF-8", "lint", odd_names)
    case("16", "PYTHONIOENCODING=ascii", "lint", draft, env={"PYTHONIOENCODING": "ascii"})
    case("16", "full stdout (/dev/full)", "lint", draft, stdout="full")
    case("16", "closed stdout", "lint", draft, stdout="closed")
    case("16", "broken pipe (lint | head -c 0)", "lint", draft, "--format", "json", stdout="broken-pipe")
    variants = {
        "header with only a table": _header_with_only_a_table(folder / "tabellhuvud.docx").read_bytes(),
        "template without a Normal style": _edited(word, {"word/styles.xml": lambda xml: re.sub(
            r'<w:style [^>]*w:styleId="Normal".*?</w:style>', "", xml, flags=re.S)}),
        "template with an empty body": _edited(word, {"word/document.xml": lambda xml: re.sub(
            r"<w:body>.*</w:body>", "<w:body/>", xml, flags=re.S)}),
        "template with invalid XML": _edited(word, {"word/styles.xml": lambda xml: xml[:len(xml) // 2]}),
        "template with XXE": _edited(word, {"word/styles.xml": lambda xml: re.sub(
            r"(<w:styles[^>]*>)", r"\1<w:latentStyles w:count='&e;'/>",
            xml.replace("?>", '?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>', 1), count=1)}),
        "template with a broken deflate stream": _broken_deflate(word),
        "template with duplicate zip entries": _edited(word, duplicate="word/document.xml"),
    }
    for name, data in variants.items():
        template = folder / (re.sub(r"\W+", "-", name) + ".docx")
        template.write_bytes(data)
        case("17", name, "generate", ljungby, "-o", out, "--doc", "policy", "--reference-docx", template, "--force")
    moved = folder / "flyttad.docx"
    moved.write_bytes(_moved_and_hidden(word))
    case("18", "--annotate, moved-away and hidden text", "lint", moved, "--annotate", folder / "kopia.docx",
         "--force")
    case("18", "--annotate on a lying zip", "lint", lying, "--annotate", folder / "kopia2.docx")
    unreadable = folder / "oläslig.txt"
    unreadable.write_text(DRAFT, encoding="utf-8")
    unreadable.chmod(0)
    case("19", "unreadable file", "lint", unreadable)
    utf16 = folder / "utf16.txt"
    utf16.write_bytes(b"\xff\xfe" + DRAFT.encode("utf-16-le") + b"\x00")
    case("19", "UTF-16 text with an odd byte", "lint", utf16)
    separators = folder / "tabell.md"
    separators.write_text("# Policy för samverkan med sociala företag\n\n|---|---|\n\nKommunen samverkar.\n",
                          encoding="utf-8")
    case("19", "Markdown table of separators only", "lint", separators)
    paragraph = folder / "stycke.txt"
    paragraph.write_text("Policy\n\n" + "ord " * 250_000 + "\n", encoding="utf-8")
    case("19", "1 MB paragraph", "lint", paragraph)
    digits = folder / "siffror.docx"
    digits.write_bytes(_with_digits_in_ids(word))
    case("19", "Unicode digits in a style and a footnote id", "lint", digits)
    return cases


def _plant_cache(folder: Path) -> None:
    """Fill a cache folder with a sound lint run's entries, then spoil each one
    in a different way: garbage, truncation, a FIFO, a huge sparse file, a
    symbolic link, a folder."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "POLICYGEN_CACHE": str(folder)}
    draft = folder.parent / "utkast.txt"
    subprocess.run([sys.executable, "-m", "policygen.cli", "lint", str(draft)], env=environment,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    entries = sorted(p for p in folder.rglob("*") if p.is_file())
    for index, path in enumerate(entries):
        kind = index % 6
        path.unlink()
        if kind == 0:
            path.write_bytes(bytes(range(256)) * 8)
        elif kind == 1:
            path.write_bytes(b"{\"a\": 1}\npolicygen-cache 1 {\n")
        elif kind == 2:
            os.mkfifo(path)
        elif kind == 3:
            _sparse(path, 700)
        elif kind == 4:
            path.symlink_to("/dev/zero")
        else:
            path.mkdir()


# -- the runner ----------------------------------------------------------------------------------------------

def _run(case: dict) -> tuple[int, float, float]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **case.get("env", {})}
    stdout_mode = case.get("stdout", "devnull")
    stdout: int | object = subprocess.DEVNULL
    full = None
    if stdout_mode == "full":
        full = open("/dev/full", "wb")
        stdout = full
    elif stdout_mode == "broken-pipe":
        stdout = subprocess.PIPE
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "policygen.cli", *case["arguments"]], stdout=stdout,
                               stderr=subprocess.DEVNULL, env=environment,
                               preexec_fn=(lambda: os.close(1)) if stdout_mode == "closed" else None)
    if stdout_mode == "broken-pipe":
        assert process.stdout is not None
        process.stdout.close()  # the reader is gone before the first byte, as with `| head -c 0`
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        if full:
            full.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--build":
        # In a process of its own: Linux passes a parent's peak memory on to
        # every child it starts, so the runner must stay small.
        folder = Path(sys.argv[2])
        for case in _cases(folder):
            if case.pop("plant_cache", False):
                _plant_cache(Path(case["env"]["POLICYGEN_CACHE"]))
            print(json.dumps(case, ensure_ascii=False))
        return
    wanted = [word.lower() for word in sys.argv[1:]]
    with tempfile.TemporaryDirectory() as temporary:
        try:
            listing = subprocess.run([sys.executable, __file__, "--build", temporary], capture_output=True,
                                     text=True, check=True).stdout
            cases = [json.loads(line) for line in listing.splitlines()]
            if wanted:
                cases = [case for case in cases if any(word in case["name"].lower() for word in wanted)]
            print(f"{'item':>4}  {'case':<62} {'exit':>4} {'seconds':>8} {'peak MB':>8}")
            worst = 0.0
            for case in cases:
                code, seconds, peak = _run(case)
                worst = max(worst, peak)
                flag = "" if code in (0, 1, 2, 130) and peak < TARGET_MB else "  <-- over target"
                print(f"{case['item']:>4}  {case['name'][:62]:<62} {code:>4} {seconds:>8.1f} {peak:>8.0f}{flag}",
                      flush=True)
            print(f"{len(cases)} cases; highest peak {worst:.0f} MB (target under {TARGET_MB} MB)")
        finally:
            remove_deep_folder(Path(temporary) / "djup")
            for path in Path(temporary).rglob("*"):
                if path.is_dir() and not path.is_symlink():
                    path.chmod(0o700)  # the read-only and unreadable folders of items 5 and 9


if __name__ == "__main__":
    main()
