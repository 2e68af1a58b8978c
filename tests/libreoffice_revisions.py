"""Accept all or reject all tracked changes of a DOCX in LibreOffice, headless,
with a small Basic macro that runs .uno:AcceptAllTrackedChanges or
.uno:RejectAllTrackedChanges and saves the result as DOCX. The macro lives in
a LibreOffice user profile of the test's own, made once per session."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Revisions" script:language="StarBasic">
Sub Apply(source As String, target As String, command As String)
    Dim args(0) As New com.sun.star.beans.PropertyValue
    args(0).Name = "Hidden"
    args(0).Value = True
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, args())
    dispatcher = createUnoService("com.sun.star.frame.DispatchHelper")
    Dim none(0) As New com.sun.star.beans.PropertyValue
    If command &lt;&gt; "" Then
        dispatcher.executeDispatch(doc.getCurrentController().getFrame(), ".uno:" &amp; command, "", 0, none())
    End If
    Dim save(0) As New com.sun.star.beans.PropertyValue
    save(0).Name = "FilterName"
    save(0).Value = "MS Word 2007 XML"
    doc.storeToURL(ConvertToURL(target), save())
    doc.close(True)
End Sub
</script:module>
"""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) saknas; .ci/run installerar det")
        pytest.skip("LibreOffice (soffice) är inte installerat")
    return found


def make_profile(folder: Path) -> Path:
    """A LibreOffice user profile whose Standard library holds the macro."""
    profile = folder / "lo-profil"
    _run(profile, ["--terminate_after_init"])
    standard = profile / "user" / "basic" / "Standard"
    standard.mkdir(parents=True, exist_ok=True)
    (standard / "Revisions.xba").write_text(MODULE, encoding="utf-8")
    listing = standard / "script.xlb"
    text = listing.read_text(encoding="utf-8") if listing.exists() else (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD '
        'OfficeDocument 1.0//EN" "library.dtd">\n<library:library xmlns:library="http://openoffice.org/2000/'
        'library" library:name="Standard" library:readonly="false" library:passwordprotected="false">\n'
        "</library:library>\n")
    if 'library:name="Revisions"' not in text:
        text = re.sub(r"(</library:library>)", ' <library:element library:name="Revisions"/>\n\\1', text)
        text = text.replace('library:passwordprotected="false"/>',
                            'library:passwordprotected="false">\n <library:element library:name="Revisions"/>\n'
                            "</library:library>")
        listing.write_text(text, encoding="utf-8")
    return profile


def apply(profile: Path, source: Path, target: Path, command: str) -> Path:
    """`command` is AcceptAllTrackedChanges, RejectAllTrackedChanges or '' (open and save)."""
    _run(profile, [f'macro:///Standard.Revisions.Apply("{source}","{target}","{command}")'])
    assert target.exists(), f"LibreOffice skrev inte {target}"
    return target


def _run(profile: Path, arguments: list[str]) -> None:
    subprocess.run([soffice(), f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--invisible",
                    "--nologo", "--norestore", *arguments], capture_output=True, timeout=180, check=False)
