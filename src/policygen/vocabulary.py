"""Closed vocabularies shared by clauses, recipes, profiles and lint rules."""

DOC_TYPES = ("policy", "riktlinje", "handlingsplan")

DOC_TYPE_NAMES = {"policy": "Policy", "riktlinje": "Riktlinje", "handlingsplan": "Handlingsplan"}

STYLES = ("markaryd", "ljungby")

# How serious a finding is, most serious first (the order --min-severity filters by).
SEVERITIES = ("error", "warning", "info")
SEVERITY_NAMES = {"error": "fel", "warning": "varning", "info": "upplysning"}

# The formats a lint report can be written in.
REPORT_FORMATS = ("text", "json", "sarif", "html")

# A coverage verdict and its Swedish name.
STATUS_NAMES = {"present": "finns", "partial": "delvis", "missing": "saknas"}

TOPICS = (
    "inledning", "definition", "syfte", "forhallningssatt", "vagar_till_stod", "stodstruktur",
    "information_utbildning", "upphandling", "iop", "intern_samverkan", "extern_samverkan",
    "ekonomi", "ansvarsfordelning", "uppfoljning", "handlingsplan",
)

# The seven steps of SKR's development process (SKR 2023, Tabell 8) first,
# then the other ids a complete document needs (DESIGN.md §4).
COVERAGE_IDS = (
    "politisk-placering", "ansvarig-funktion", "intern-samordning", "styrdokument",
    "handlingsplan", "extern-samverkan", "uppfoljning",
    "upphandling", "syfte", "definition", "iop", "vagar-till-stod",
)
