"""Every kommun's documents in one run (`generate --all-kommuner`): one
profile per kommun from shared defaults and the kommun's own file, built in
parallel, and all files renamed into place only when every kommun succeeded."""

from __future__ import annotations

from pathlib import Path

from policygen.errors import UserError
from policygen.generate.clauses import load_library
from policygen.generate.run import generate, plan_outputs
from policygen.infra.batch import BatchReport, Outcome, run_batch
from policygen.infra.output import OutputPlan, Staged, commit_staged, discard_staged
from policygen.kommuner import all_kommuner, find_kommun
from policygen.profile.load import Profile, merge, profile_from_data, read_profile_data
from policygen.profile.organisation import Organisation, with_own_bodies


def _override_files(folder: Path | None) -> dict[str, Path]:
    """Per-kommun profile files in `folder`, keyed by kommunkod; named by code or name."""

    if folder is None:
        return {}
    if not folder.is_dir():
        raise UserError("mappen med kommunprofiler finns inte", file=folder,
                        hint="ange en mapp med filer som 0781.yaml eller ljungby.yaml")
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        kommun = find_kommun(path.stem.replace("-", " ")) or find_kommun(path.stem)
        if kommun is None:
            raise UserError(f"filnamnet '{path.name}' är ingen kommun i kommunlistan", file=path,
                            hint="döp filen efter kommunkoden (0781.yaml) eller namnet (ljungby.yaml)")
        if kommun.kod in found:
            raise UserError(f"{kommun.namn} har två profiler: {found[kommun.kod].name} och {path.name}",
                            file=path, hint="slå ihop dem till en fil")
        found[kommun.kod] = path
    return found


def kommun_profiles(defaults: Path, overrides: Path | None = None) -> list[tuple[str, Profile | UserError]]:
    """One profile per kommun in the bundled table: the shared defaults, the
    kommun's identity, then the kommun's own file if there is one. A kommun whose
    profile is wrong gets its error instead, so the batch can go on."""

    shared = read_profile_data(defaults)
    files = _override_files(overrides)
    profiles: list[tuple[str, Profile | UserError]] = []
    for kommun in all_kommuner():
        identity = {"kommun": {"namn": kommun.namn, "kommunkod": kommun.kod}}
        # The shared file names the bodies once; Region Gotland has regionfullmäktige.
        common = with_own_bodies(shared, Organisation(kommun.organisation, kommun.officiellt_namn))
        profile: Profile | UserError
        try:
            if kommun.kod in files:
                own = read_profile_data(files[kommun.kod])
                profile = profile_from_data(merge(merge(common, identity), own), files[kommun.kod])
            else:
                profile = profile_from_data(merge(common, identity), defaults)
        except UserError as error:
            profile = error
        profiles.append((kommun.namn, profile))
    return profiles


def _generate_task(task: tuple[Profile, Path, list[str] | None, str, bool, bool]) -> list[Staged]:
    profile, out_dir, doc_keys, fmt, force, draft = task
    staged: list[Staged] = []
    generate(profile, out_dir, doc_keys, fmt, force=force, draft=draft, staged=staged)
    return staged


def generate_all_kommuner(defaults: Path, out_dir: Path, overrides: Path | None = None,
                          doc_keys: list[str] | None = None, fmt: str = "docx", force: bool = False,
                          jobs: int | None = None, show_progress: bool | None = None,
                          draft: bool = False) -> BatchReport[list[Path]]:
    """Every kommun's documents, in parallel. Existing files are found before
    anything is written, so a second run without --force stops at once."""

    load_library()  # loaded before the workers fork, so they share it
    profiles = kommun_profiles(defaults, overrides)
    tasks: list[tuple[Profile, Path, list[str] | None, str, bool, bool]] = []
    names: list[str] = []
    early: list[Outcome[list[Path]]] = []
    # One plan for the whole run: two kommuner never share a file, and no
    # profile is written over.
    plan = OutputPlan(out_dir, force, inputs=[defaults, *_override_files(overrides).values()])
    for name, profile in profiles:
        if isinstance(profile, UserError):
            early.append(Outcome(name, error=str(profile)))
            continue
        plan_outputs(plan, profile, doc_keys, fmt)
        tasks.append((profile, Path(out_dir), doc_keys, fmt, force, draft))
        names.append(name)
    report = run_batch(_generate_task, tasks, names, jobs, show_progress, "Skapar")
    committed = _commit_run(report, force)
    committed.outcomes = early + committed.outcomes
    committed.total += len(early)
    return committed


def _commit_run(report: BatchReport[list[Staged]], force: bool) -> BatchReport[list[Path]]:
    """All or nothing: every kommun's files were written to temporaries; they
    are renamed into place only if no job failed (a full disk, a read-only
    folder, a document that could not be built). After Ctrl-C the finished
    kommuner are kept, so the count printed is the count on disk. The report
    returned holds the final paths."""
    staged = [pair for outcome in report.succeeded for pair in outcome.value or []]
    try:
        if report.failed and not report.interrupted:
            first = (report.failed[0].error or "").splitlines()[0]
            raise UserError(f"{len(report.failed)} av {report.total} kommuner kunde inte skapas, och därför har "
                            f"inga filer skrivits. Första felet: {first}",
                            hint="rätta felet och kör igen; de andra kommunernas filer skrivs då också")
        commit_staged(staged, force)
    finally:
        discard_staged(staged)

    outcomes = [Outcome(o.name, None if o.error is not None else [path for _, path in o.value or []], o.error)
                for o in report.outcomes]
    return BatchReport(outcomes, report.total, report.interrupted)
