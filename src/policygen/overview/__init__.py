"""The national overview: many drafts linted, each attributed to its kommun
or region, combined into one status per SKR part, shown on a map and in a
table, written as open data and stored run by run in an archive."""

from policygen.overview.build import build_overview
from policygen.overview.model import Overview

__all__ = ["Overview", "build_overview"]
