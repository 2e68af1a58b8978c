"""Command line: a thin layer over the library. Every user error is printed in
Swedish with the place and a remedy, and exits with 2."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from policygen.errors import UserError
from policygen.vocabulary import REPORT_FORMATS, SEVERITIES

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors, in Swedish
        translated = (message.replace("the following arguments are required", "dessa argument krävs")
                      .replace("unrecognized arguments", "okända argument")
                      .replace("invalid choice", "ogiltigt val")
                      .replace("choose from", "välj bland")
                      .replace("expected one argument", "ett värde krävs"))
        if translated.endswith(": "):  # the argument was an empty string: show that it was
            translated += "'' (ett tomt argument)"
        self.print_usage(sys.stderr)
        print(f"policygen: fel i kommandot: {translated}\n  Gör så här: kör '{self.prog} --help'",
              file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _path(text: str) -> Path:
    # Path("") is the current folder: an empty argument (a shell variable that
    # was never set) would otherwise lint or write wherever the user stands.
    if not text.strip():
        raise argparse.ArgumentTypeError(f"en tom sökväg ({text!r}) – ange ett filnamn eller en mapp")
    return Path(text)


def _iso_day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-12-07") from None


def _positive(text: str) -> int:
    # ASCII digits only ("²".isdigit() is true), and few: int() refuses 4 300 digits.
    if not (text.isascii() and text.isdigit()) or len(text) > 6 or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' är inget positivt heltal")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="policygen", description="Genererar och granskar styrdokument om samverkan med sociala företag.")
    commands = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser)

    init = commands.add_parser("init", help="skapa en startprofil för en kommun")
    init.add_argument("--kommun", required=True, help="kommunens namn eller kommunkod")
    init.add_argument("--stil", "--style", dest="style", default="markaryd", help="markaryd eller ljungby")
    init.add_argument("-o", "--output", required=True, type=_path, help="profilfilen som skapas")
    init.add_argument("--force", action="store_true", help="skriv över en befintlig fil")

    gen = commands.add_parser("generate", help="skapa styrdokument från en profil")
    gen.add_argument("profile", type=_path, help="kommunprofilen (YAML)")
    gen.add_argument("-o", "--output", type=_path, default=Path("utkast"), help="utmapp (standard: utkast/)")
    gen.add_argument("--doc", action="append", dest="docs", metavar="DOKUMENT",
                     help="bara detta dokument (t.ex. policy, handlingsplan); kan anges flera gånger")
    gen.add_argument("--style", help="byt stil mot den i profilen")
    gen.add_argument("--format", default="docx", choices=["docx", "md", "pdf", "docx,pdf"],
                     help="docx (standard), md, pdf (tillgänglig PDF via LibreOffice) eller docx,pdf")
    gen.add_argument("--reference-docx", type=_path, help="kommunens egen Word-mall")
    gen.add_argument("--force", action="store_true", help="skriv över befintliga filer")
    gen.add_argument("--utkast", action="store_true",
                     help="skriv dokumenten märkta UTKAST fast profilen har TODO-värden eller obesvarade val")
    gen.add_argument("--all-kommuner", action="store_true",
                     help="skapa dokumenten för alla 290 kommuner; PROFIL är då de gemensamma värdena")
    gen.add_argument("--profiler", type=_path, metavar="MAPP",
                     help="med --all-kommuner: kommunernas egna profiler (0781.yaml, ljungby.yaml …)")
    gen.add_argument("--jobs", type=_positive, help="antal samtidiga processer (standard: alla kärnor)")
    gen.add_argument("--quiet", action="store_true", help="ingen förloppsindikator eller sammanfattning")

    clauses = commands.add_parser("clauses", help="visa klausulbiblioteket")
    clause_commands = clauses.add_subparsers(dest="clauses_command", metavar="list|show", parser_class=_Parser)
    listing = clause_commands.add_parser("list", help="lista alla klausuler")
    listing.add_argument("--topic", help="bara klausuler i detta ämne")
    show = clause_commands.add_parser("show", help="visa en klausul")
    show.add_argument("clause_id")

    lint = commands.add_parser("lint", help="granska utkast mot SKR:s framgångsfaktorer")
    lint.add_argument("paths", nargs="+", type=_path, metavar="UTKAST", help=".docx, .pdf, .txt, .md eller en mapp")
    lint.add_argument("--doc-type", choices=["policy", "riktlinje", "handlingsplan"],
                      help="dokumenttyp (annars upptäcks den från titel och rubriker)")
    lint.add_argument("--format", default="text", choices=list(REPORT_FORMATS),
                      help="text (standard), json, sarif eller html")
    lint.add_argument("-o", "--output", type=_path, help="skriv rapporten till en fil i stället för till skärmen")
    lint.add_argument("--annotate", type=_path, metavar="KOPIA.docx",
                      help="skriv en kopia av utkastet med anmärkningarna som Word-kommentarer")
    lint.add_argument("--revise", "--revidera", dest="revise", type=_path, metavar="KOPIA",
                      help="skriv en reviderad kopia: rättelserna som spårade ändringar i Word (.docx), "
                           "eller en rättad text med ändringslista (.txt, .md)")
    lint.add_argument("--profil", type=_path, metavar="PROFIL",
                      help="kommunprofilen vars värden skrivs in i klausuler som --revise lägger till")
    lint.add_argument("--kommun", help="kommunen som dokumentet gäller (annars upptäcks den)")
    lint.add_argument("--config", type=_path, help="inställningsfil (standard: policygen.yaml i aktuell mapp)")
    lint.add_argument("--no-config", action="store_true",
                      help="bortse från policygen.yaml: granska med alla regler och standardnivåer")
    lint.add_argument("--force", action="store_true", help="skriv över befintliga rapport- och kopiefiler")
    lint.add_argument("--jobs", type=_positive, help="antal samtidiga processer (standard: alla kärnor)")
    lint.add_argument("--quiet", action="store_true", help="ingen förloppsindikator eller sammanfattning")
    lint.add_argument("--min-severity", default="error", choices=list(SEVERITIES),
                      help="lägsta nivå som ger slutkod 1 (standard: error)")

    rules = commands.add_parser("rules", help="visa granskningsreglerna")
    rules_commands = rules.add_subparsers(dest="rules_command", metavar="list|test", parser_class=_Parser)
    rules_commands.add_parser("list", help="lista alla regler")
    rules_test = rules_commands.add_parser("test", help="kör exemplen i regelfilerna som tester")
    rules_test.add_argument("files", nargs="*", type=_path, metavar="REGELFIL",
                            help="en regelfil (standard: alla medföljande regelfiler)")
    rules_test.add_argument("--alla", action="store_true", help="visa också exemplen som går igenom")

    facts = commands.add_parser("fakta", help="visa faktaregistret: lagar, belopp och regler som granskningen jämför med")
    facts.add_argument("--historik", action="store_true", help="visa också tidigare perioder och reglernas lydelse")
    facts.add_argument("--datum", type=_iso_day, metavar="ÅÅÅÅ-MM-DD",
                       help="visa vad som gällde en viss dag (standard: i dag)")
    overview = commands.add_parser("oversikt", help="en karta och tabell över var alla kommuner står i SKR:s steg")
    overview.add_argument("paths", nargs="*", type=_path, metavar="MAPP",
                          help="mappar eller filer med kommunernas dokument (.docx, .pdf, .txt, .md)")
    overview.add_argument("-o", "--output", type=_path, required=True,
                          help="sidan som skapas (HTML); öppna data skrivs bredvid som .csv och .json")
    overview.add_argument("--kommunlista", type=_path, metavar="CSV",
                          help="CSV med kolumnerna fil och kommun, för dokument vars kommun inte framgår")
    overview.add_argument("--arkiv", type=_path, metavar="FIL",
                          help="arkiv (SQLite) där körningen sparas; sidan visar förändringen sedan förra körningen")
    overview.add_argument("--korning", type=_positive, metavar="NR",
                          help="utan MAPP: visa denna körning ur arkivet (standard: den senaste)")
    overview.add_argument("--jamfor", type=_positive, metavar="NR",
                          help="jämför med denna körning i arkivet (standard: körningen närmast före)")
    overview.add_argument("--spara-inte", action="store_true", help="med --arkiv: jämför, men spara inte körningen")
    overview.add_argument("--force", action="store_true", help="skriv över befintliga filer")
    overview.add_argument("--jobs", type=_positive, help="antal samtidiga processer (standard: alla kärnor)")
    overview.add_argument("--quiet", action="store_true", help="ingen förloppsindikator eller sammanfattning")

    serve = commands.add_parser("serve", help="starta webbsidan för tjänstepersoner")
    serve.add_argument("--host", default="127.0.0.1",
                       help="adressen servern lyssnar på (standard: 127.0.0.1, bara den här datorn)")
    serve.add_argument("--port", type=_positive, default=8000, help="port (standard: 8000)")
    serve.add_argument("--workers", type=_positive, help="dokument som bearbetas samtidigt (standard: kärnorna, högst 4)")
    serve.add_argument("--arkiv", type=_path, metavar="FIL",
                       help="arkiv (SQLite) för översikten: körningar från /oversikt sparas där (utan det sparas inget)")
    return parser


def main(argv: list[str] | None = None) -> int:
    # Start-up time: each command imports only its own stage, so `policygen --help` stays fast.
    from policygen.infra.terminal import VisibleStream

    # Everything printed may hold text from a draft, a file name or a profile:
    # its control characters are shown, never obeyed by the terminal. A
    # terminal that cannot show å, ä and ö gets escapes instead of a crash.
    streams = sys.stdout, sys.stderr
    for stream in streams:
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    sys.stdout, sys.stderr = (VisibleStream(s) if s is not None else s for s in streams)
    try:
        code = _run(argv)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk or closed pipe behind stdout shows here, not at exit
        return code
    except BrokenPipeError:
        # `policygen lint … | head`: the reader has all it wanted.
        _silence_stdout()
        return EXIT_USAGE
    except OSError as exc:
        print(f"policygen: kunde inte skriva resultatet ({exc.strerror or exc})\n"
              "  Gör så här: kontrollera att disken inte är full, eller skriv till en fil med -o", file=sys.stderr)
        _silence_stdout()
        return EXIT_USAGE
    finally:
        sys.stdout, sys.stderr = streams


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's own flush at exit cannot fail again."""
    import os

    if sys.__stdout__ is None:
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.__stdout__.fileno())
    except (OSError, AttributeError, ValueError):
        pass


def _run(argv: list[str] | None) -> int:
    import os

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return _COMMANDS[args.command](args, parser)
    except UserError as error:
        print(f"policygen: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        # Start-up time: each command imports only its own stage, so `policygen --help` stays fast.
        from policygen.infra.interrupts import ignore_further

        ignore_further()  # a second Ctrl-C must not kill the command while it says it stopped
        print("policygen: avbrutet; inga halvfärdiga filer har skrivits", file=sys.stderr)
        return 130
    except (BrokenPipeError, MemoryError):
        raise
    except OSError as exc:
        if exc.filename is None:
            raise  # writing to stdout failed: main() says so
        # A path the file system refuses (too long, a loop) reached a call without its own check.
        print(f"policygen: {exc.filename or ''}: filen går inte att använda ({exc.strerror or exc})\n"
              "  Gör så här: kontrollera sökvägen (längd, behörighet) och försök igen", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 – never a traceback in front of a user
        if os.environ.get("POLICYGEN_DEBUG"):
            raise
        print(f"policygen: internt fel i policygen ({error.__class__.__name__}: {error})\n"
              "  Gör så här: rapportera gärna felet med kommandot och filen bifogade "
              "(POLICYGEN_DEBUG=1 visar detaljerna)", file=sys.stderr)
        return EXIT_USAGE


def _init(args, parser) -> int:
    # Start-up time: each command imports only its own stage, so `policygen --help` stays fast.
    from policygen.generate.starter_profile import starter_profile
    from policygen.infra.output import write_atomic

    text = starter_profile(args.kommun, args.style, args.output.name)
    write_atomic(args.output, text, force=args.force)
    print(f"Skapade {args.output}. Fyll i alla TODO-värden, svara ja eller nej på valen och kör sedan:\n"
          f"  policygen generate {args.output} -o dokument/\n"
          f"Vill du se ett utkast innan allt är ifyllt: policygen generate {args.output} --utkast -o utkast/")
    return 0


def _generate(args, parser) -> int:
    # Start-up time: each command imports only its own stage, so `policygen --help` stays fast.
    from policygen.generate.run import generate
    from policygen.profile.load import load_profile

    if args.all_kommuner:
        return _generate_all(args)
    if args.profiler:
        raise UserError("--profiler hör till --all-kommuner", hint="lägg till --all-kommuner eller ta bort --profiler")

    profile = load_profile(args.profile)
    written = generate(profile, args.output, _unique(args.docs), args.format, args.reference_docx,
                       args.force, args.style, draft=args.utkast)
    for open_item in profile.open_items:
        print(f"policygen: varning: {open_item}", file=sys.stderr)
    for item in written:
        marking = "  UTKAST" if item.document.draft else ""
        print(f"Skapade {item.path}  ({item.document.title}){marking}")
    if profile.open_items:
        print(f"policygen: dokumenten är märkta UTKAST: {len(profile.open_items)} saker i profilen återstår "
              "innan de kan gå till beslut", file=sys.stderr)
    return 0


def _unique(docs: list[str] | None) -> list[str] | None:
    """--doc policy --doc policy asks for one document, not two with one file name."""
    return list(dict.fromkeys(docs)) if docs else docs


def _generate_all(args) -> int:
    import time

    # Start-up time: each command imports only its own stage, so `policygen --help` stays fast.
    from policygen.generate.all_kommuner import generate_all_kommuner

    if args.reference_docx or args.style:
        raise UserError("--reference-docx och --style fungerar inte med --all-kommuner",
                        hint="sätt stil: i den gemensamma profilen eller i kommunernas egna filer")
    started = time.perf_counter()
    report = generate_all_kommuner(args.profile, args.output, args.profiler, _unique(args.docs), args.format,
                                   args.force, args.jobs, False if args.quiet else None, draft=args.utkast)
    for outcome in report.failed:
        print(f"policygen: {outcome.error}", file=sys.stderr)
    files = sum(len(o.value or []) for o in report.succeeded)
    seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
    if report.interrupted:
        print(f"policygen: avbrutet efter {len(report.succeeded)} av {report.total} kommuner "
              f"({files} filer klara i {args.output}); inga halvfärdiga filer har skrivits", file=sys.stderr)
        return 130
    if not args.quiet:
        print(f"Skapade {files} filer för {len(report.succeeded)} av {report.total} kommuner i {args.output} "
              f"på {seconds} s." + (f" {len(report.failed)} kommuner misslyckades." if report.failed else ""))
    return EXIT_USAGE if report.failed else 0


def _clauses(args, parser) -> int:
    # Start-up time: each command imports only its own stage, so `policygen --help` stays fast.
    from policygen.generate.clause_listing import clause_details, clause_table
    from policygen.generate.clauses import load_library

    library = load_library()
    if args.clauses_command == "show":
        print(clause_details(library.get(args.clause_id)))
        return 0
    if args.clauses_command == "list":
        clauses = library.by_topic(args.topic) if args.topic else list(library.clauses)
        print(clause_table(clauses))
        return 0
    parser.parse_args(["clauses", "--help"])
    return EXIT_USAGE


def _lint(args, parser) -> int:
    import time

    # Start-up time: each command imports only its own stage, so `policygen --help` stays fast.
    from policygen.infra.output import check_not_input, write_atomic
    from policygen.lint.catalog import rule_catalog
    from policygen.lint.config import find_config, load_config
    from policygen.lint.run import lint_files
    from policygen.read.draft import find_drafts
    from policygen.report.config_notice import config_notice
    from policygen.report.formats import render_report
    from policygen.report.revision import check_revisable, revise_draft
    from policygen.report.word_comments import annotate_docx

    files, unreadable = find_drafts(args.paths)
    if not files and unreadable:
        raise UserError(unreadable[0][1], hint="kontrollera mappens behörigheter")
    if not files:
        raise UserError("hittade inga utkast att granska", file=args.paths[0],
                        hint="mappen ska innehålla .docx-, .pdf-, .txt- eller .md-filer")
    if args.annotate and len(files) != 1:
        raise UserError("--annotate fungerar för ett utkast i taget", file=args.paths[0],
                        hint="ange en enda .docx-fil")
    if args.revise and len(files) != 1:
        raise UserError("--revise fungerar för ett utkast i taget", file=args.paths[0],
                        hint="ange en enda .docx-, .txt- eller .md-fil")
    if args.profil and not args.revise:
        raise UserError("--profil används bara med --revise", hint="lägg till --revise KOPIA eller ta bort --profil")
    if args.revise:
        check_revisable(files[0], args.revise)
    profile = _revision_profile(args.profil)  # a broken profile stops the run before anything is written
    if args.no_config and args.config:
        raise UserError("--config och --no-config kan inte anges samtidigt", hint="ta bort ett av dem")
    config_path = None if args.no_config else find_config(args.config)
    inputs = [*files, config_path]
    for target in (args.output, args.annotate, args.revise):
        if target is not None:
            check_not_input(target, inputs)  # not even with --force
    catalog = rule_catalog()
    config = load_config(config_path, {r.id for r in catalog}, {r.category for r in catalog})
    started = time.perf_counter()
    run = lint_files(files, args.doc_type, config, args.kommun, args.jobs, False if args.quiet else None)
    if run.interrupted:
        print(f"policygen: avbrutet efter {len(run.results) + len(run.errors)} av {len(files)} utkast; ingen "
              "rapport och inga halvfärdiga filer har skrivits", file=sys.stderr)
        return 130
    single = len(files) == 1 and not any(p.is_dir() for p in args.paths)
    if single and run.errors:
        print(f"policygen: {run.errors[0][1]}", file=sys.stderr)
        return EXIT_USAGE
    results, errors = run.results, run.errors + unreadable
    # A configuration changes the verdict: every report says which one and what it changed.
    notice = config_notice(config, catalog)
    if notice is not None and not args.quiet:
        print(f"policygen: {notice.sentence()}", file=sys.stderr)
    report = render_report(args.format, results, errors, run.rules, notice, single)
    if args.annotate and results:
        count = annotate_docx(files[0], results[0], args.annotate, force=args.force)
        print(f"Skapade {args.annotate} med {count} kommentarer.", file=sys.stderr)
    if args.revise and results:
        print(revise_draft(files[0], results[0], args.revise, profile, force=args.force).sentence(), file=sys.stderr)
    if args.output:
        write_atomic(args.output, report + "\n", force=args.force, inputs=inputs)
        print(f"Skapade {args.output}.", file=sys.stderr)
    else:
        print(report)
    flagged = sum(1 for r in results if r.at_or_above(args.min_severity))
    if len(files) > 1 and not args.quiet:
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        print(f"Granskade {len(results)} av {len(files)} utkast på {seconds} s: {flagged} med anmärkningar"
              f"{' på nivån ' + args.min_severity if args.min_severity != 'info' else ''}, "
              f"{len(errors)} gick inte att läsa.", file=sys.stderr)
    if errors:
        return EXIT_USAGE
    return 1 if flagged else 0


def _revision_profile(path: Path | None):
    if path is None:
        return None
    # Start-up time: the profile loader is imported only when a profile is given.
    from policygen.profile.load import load_profile
    return load_profile(path)


def _rules(args, parser) -> int:
    # Start-up time: each command imports only its own stage, so `policygen --help` stays fast.
    from policygen.lint.catalog import rule_catalog
    from policygen.report.rules_reference import rules_table

    if args.rules_command == "test":
        # Start-up time: each command imports only its own stage, so `policygen --help` stays fast.
        from policygen.lint.examples import example_report, run_rule_examples

        outcomes = run_rule_examples(args.files)
        print(example_report(outcomes, show_passed=args.alla))
        return 0 if all(o.passed for o in outcomes) else 1
    if args.rules_command != "list":
        parser.parse_args(["rules", "--help"])
        return EXIT_USAGE
    print(rules_table(rule_catalog()))
    return 0


def _oversikt(args, parser) -> int:
    import time

    # Start-up time: each command imports only its own stage, so `policygen --help` stays fast.
    from policygen.infra.output import check_not_input, check_writable, write_all
    from policygen.overview.attribution import read_mapping
    from policygen.overview.build import Interrupted, build_overview, check_not_empty
    from policygen.overview.report import overview_files

    if not args.paths and args.arkiv is None:
        raise UserError("ange en mapp med dokument, eller ett arkiv med --arkiv",
                        hint="till exempel: policygen oversikt dokument/ -o oversikt.html")
    if args.paths and args.korning:
        raise UserError("--korning visar en sparad körning och fungerar inte med en mapp", hint="ta bort MAPP eller --korning")
    for given, name in ((args.spara_inte, "--spara-inte"), (args.jamfor, "--jamfor"), (args.korning, "--korning")):
        if given and args.arkiv is None:
            raise UserError(f"{name} hör till --arkiv", hint=f"lägg till --arkiv FIL eller ta bort {name}")
    outputs = [args.output, args.output.with_suffix(".csv"), args.output.with_suffix(".json")]
    if args.output.suffix.casefold() in (".csv", ".json"):
        raise UserError("sidan ska ha ändelsen .html", file=args.output, hint="till exempel -o oversikt.html")
    inputs = [*args.paths, args.kommunlista, args.arkiv]
    for target in outputs:  # before the lint, so a long run never ends in a refusal
        check_not_input(target, inputs)
        check_writable(target, args.force)
    mapping = read_mapping(args.kommunlista) if args.kommunlista else None
    started = time.perf_counter()
    overview = None
    if args.paths:
        try:
            overview = build_overview(args.paths, mapping, args.jobs, False if args.quiet else None)
        except Interrupted as stop:
            print(f"policygen: avbrutet efter {stop.done} av {stop.total} dokument; ingen översikt och inga "
                  "halvfärdiga filer har skrivits", file=sys.stderr)
            return 130
    if overview is not None:
        check_not_empty(overview)
    files = overview_files(overview, args.arkiv, not args.spara_inte, args.korning, args.jamfor)
    write_all(list(zip(outputs, [files.html, files.csv, files.json])), args.force, inputs)
    shown = files.overview
    if not args.quiet:
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        kommuner, regions = len(shown.kommuner), len(shown.regions)
        print(f"Skapade {outputs[0]}, {outputs[1].name} och {outputs[2].name}: {kommuner} "
              f"{'kommun' if kommuner == 1 else 'kommuner'}"
              f"{f' och {regions} ' + ('region' if regions == 1 else 'regioner') if regions else ''}, "
              f"{sum(len(e.documents) for e in shown.entities.values())} dokument på {seconds} s.", file=sys.stderr)
        if shown.run_id is not None and args.arkiv is not None:
            print(f"Körningen har nummer {shown.run_id} i {args.arkiv}.", file=sys.stderr)
        if files.comparison is not None:
            print(f"Sedan {files.comparison.earlier.replace('T', ' ')}: {files.comparison.improved} delar bättre, "
                  f"{files.comparison.worsened} sämre.", file=sys.stderr)
    if shown.unattributed:
        names = ", ".join(file for file, _ in shown.unattributed[:5])
        more = f" och {len(shown.unattributed) - 5} till" if len(shown.unattributed) > 5 else ""
        print(f"policygen: {len(shown.unattributed)} dokument räknades inte, eftersom varken kommunlistan, filnamnet, "
              f"mappen eller texten säger vilken kommun de gäller: {names}{more}\n  Gör så här: lägg till filerna i "
              "en kommunlista (--kommunlista, en CSV med kolumnerna fil och kommun) eller döp om dem efter kommunen",
              file=sys.stderr)
    for file, message in shown.errors:
        print(f"policygen: {file}: {message}", file=sys.stderr)
    return EXIT_USAGE if shown.errors else 0


def _serve(args, parser) -> int:
    # Start-up time: each command imports only its own stage, so `policygen --help` stays fast.
    from policygen.web.app import serve

    print(f"policygen: webbsidan finns på http://{args.host}:{args.port}/ – avsluta med Ctrl-C", file=sys.stderr)
    serve(args.host, args.port, args.workers, archive=args.arkiv)
    return 0


def _facts(args, parser) -> int:
    from datetime import date

    # Start-up time: each command imports only its own stage, so `policygen --help` stays fast.
    from policygen.facts.listing import registry_table
    from policygen.facts.registry import load_registry

    print(registry_table(load_registry(), args.datum or date.today(), history=args.historik))
    return 0


_COMMANDS = {"serve": _serve, "init": _init, "generate": _generate, "clauses": _clauses, "lint": _lint, "rules": _rules,
             "fakta": _facts, "oversikt": _oversikt}


if __name__ == "__main__":
    sys.exit(main())
